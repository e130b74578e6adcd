// Schemas: Avro record schemas, parsed and checked when created; they have no status.
#include "core/control_plane.h"
#include "core/resource_codec.h"
#include "core/validation.h"
#include "data/schema.h"

namespace tailor::core {

namespace {
constexpr size_t kMaxSchemaLength = 20000;
}  // namespace

StatusOr<std::string> ControlPlane::CreateSchema(const CreateSchemaRequest& req) {
  TAILOR_RETURN_IF_ERROR(ValidateName("name", req.name));
  TAILOR_RETURN_IF_ERROR(ValidateDomain(req.domain));
  if (req.schema.empty()) return Status::InvalidInput("schema must not be empty.");
  if (req.schema.size() > kMaxSchemaLength) {
    return Status::InvalidInput("schema is " + std::to_string(req.schema.size()) +
                                " characters long; the limit is 20000.");
  }
  TAILOR_ASSIGN_OR_RETURN(data::Schema parsed, data::ParseSchema(req.schema));
  (void)parsed;
  TAILOR_RETURN_IF_ERROR(CheckLimit(kSchemaType, {}, options_.max_schemas, "schemas", req.region));

  DatasetSchema schema;
  schema.info.arn = MakeArn(ArnContextFor(req.region), std::string(kSchemaType) + "/" + req.name);
  schema.info.name = req.name;
  schema.info.created_micros = schema.info.updated_micros = env_->NowMicros();
  schema.schema = req.schema;
  schema.domain = req.domain;
  Status s = catalog_->Insert(ToRecord(schema));
  if (s.IsAlreadyExists()) {
    return Status::AlreadyExists("A schema named " + req.name + " already exists.");
  }
  TAILOR_RETURN_IF_ERROR(s);
  return schema.info.arn;
}

StatusOr<DatasetSchema> ControlPlane::DescribeSchema(std::string_view arn) {
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("schemaArn", arn, kSchemaType));
  return SchemaFromRecord(record);
}

StatusOr<Page<DatasetSchema>> ControlPlane::ListSchemas(const PageRequest& page) {
  TAILOR_ASSIGN_OR_RETURN(auto records, ListRecords(kSchemaType, "", page));
  Page<DatasetSchema> out;
  for (const auto& r : records.records) {
    TAILOR_ASSIGN_OR_RETURN(DatasetSchema s, SchemaFromRecord(r));
    out.items.push_back(std::move(s));
  }
  out.next_token = records.next_page_token;
  return out;
}

Status ControlPlane::DeleteSchema(std::string_view arn) {
  std::lock_guard structure_lock(structure_mu_);
  TAILOR_ASSIGN_OR_RETURN(auto record, GetRecord("schemaArn", arn, kSchemaType));
  (void)record;
  // Datasets name their schema in the body, so look through them; there are few.
  store::ListQuery query;
  query.type = kDatasetType;
  query.page_size = 1000;
  while (true) {
    TAILOR_ASSIGN_OR_RETURN(store::ListPage page, catalog_->List(query));
    for (const auto& r : page.records) {
      TAILOR_ASSIGN_OR_RETURN(Dataset d, DatasetFromRecord(r));
      if (d.schema_arn == arn) {
        return Status::InUse("Schema " + std::string(arn) + " is used by dataset " + d.info.arn +
                             "; delete the dataset first.");
      }
    }
    if (page.next_page_token.empty()) break;
    query.page_token = page.next_page_token;
  }
  return catalog_->Delete(arn);
}

}  // namespace tailor::core
