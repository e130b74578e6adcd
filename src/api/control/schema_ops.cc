// CreateSchema, DescribeSchema, ListSchemas, DeleteSchema.
#include "api/control/operations.h"

namespace tailor::api {
namespace {

using nlohmann::json;

json Summary(const core::DatasetSchema& s) {
  json out = {{"name", s.info.name},
              {"schemaArn", s.info.arn},
              {"creationDateTime", WireTime(s.info.created_micros)},
              {"lastUpdatedDateTime", WireTime(s.info.updated_micros)}};
  SetIfNotEmpty(&out, "domain", s.domain);
  return out;
}

}  // namespace

void AddSchemaOperations(OperationTable* table) {
  (*table)["CreateSchema"] = [](core::ControlPlane& cp, const CallContext& call,
                                JsonReader& in) -> StatusOr<json> {
    core::CreateSchemaRequest req;
    req.region = call.region;
    req.name = in.String("name", true);
    req.schema = in.String("schema", true);
    req.domain = in.String("domain");
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(std::string arn, cp.CreateSchema(req));
    return json{{"schemaArn", arn}};
  };
  (*table)["DescribeSchema"] = [](core::ControlPlane& cp, const CallContext&,
                                  JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("schemaArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(core::DatasetSchema s, cp.DescribeSchema(arn));
    json out = Summary(s);
    out["schema"] = s.schema;
    return json{{"schema", out}};
  };
  (*table)["ListSchemas"] = [](core::ControlPlane& cp, const CallContext& call,
                               JsonReader& in) -> StatusOr<json> {
    core::PageRequest page = ReadPageRequest(call, in);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_ASSIGN_OR_RETURN(auto result, cp.ListSchemas(page));
    json out = {{"schemas", json::array()}};
    for (const auto& s : result.items) out["schemas"].push_back(Summary(s));
    AddNextToken(&out, result.next_token);
    return out;
  };
  (*table)["DeleteSchema"] = [](core::ControlPlane& cp, const CallContext&,
                                JsonReader& in) -> StatusOr<json> {
    std::string arn = in.String("schemaArn", true);
    TAILOR_RETURN_IF_ERROR(in.status());
    TAILOR_RETURN_IF_ERROR(cp.DeleteSchema(arn));
    return json::object();
  };
}

}  // namespace tailor::api
