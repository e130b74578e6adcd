#include "core/resource_codec.h"

#include <string>

#include <nlohmann/json.hpp>

#include "common/arn.h"

namespace tailor::core {
namespace {

using nlohmann::json;

}  // namespace

std::string ScopeOfArn(std::string_view arn) {
  StatusOr<ParsedArn> parsed = ParseArn("arn", arn);
  return parsed.ok() ? parsed->region + ":" + parsed->account : std::string();
}

namespace {

store::CatalogRecord BaseRecord(const ResourceInfo& info, const char* type, std::string parent_arn,
                                const json& body) {
  store::CatalogRecord r;
  r.arn = info.arn;
  r.type = type;
  r.name = info.name;
  r.parent_arn = std::move(parent_arn);
  r.scope = ScopeOfArn(info.arn);
  r.status = info.status;
  r.created_micros = info.created_micros;
  r.updated_micros = info.updated_micros;
  json b = body;
  if (!info.failure_reason.empty()) b["failure_reason"] = info.failure_reason;
  r.body = b.dump();
  return r;
}

// Parses the body and fills the common fields; calls `fill` with the body for the rest.
template <typename T, typename Fill>
StatusOr<T> FromRecord(const store::CatalogRecord& r, const char* type, Fill fill) {
  if (r.type != type) {
    return Status::Internal("record " + r.arn + " has type " + r.type + ", expected " + type);
  }
  try {
    json b = json::parse(r.body.empty() ? std::string("{}") : r.body);
    T out;
    out.info.arn = r.arn;
    out.info.name = r.name;
    out.info.status = r.status;
    out.info.created_micros = r.created_micros;
    out.info.updated_micros = r.updated_micros;
    out.info.failure_reason = b.value("failure_reason", "");
    fill(b, out);
    return out;
  } catch (const json::exception& e) {
    return Status::Internal("stored record " + r.arn + " is corrupt: " + e.what());
  }
}

}  // namespace

store::CatalogRecord ToRecord(const DatasetGroup& g) {
  return BaseRecord(
      g.info, kDatasetGroupType, "",
      {{"role_arn", g.role_arn}, {"kms_key_arn", g.kms_key_arn}, {"domain", g.domain}});
}

store::CatalogRecord ToRecord(const DatasetSchema& s) {
  return BaseRecord(s.info, kSchemaType, "", {{"schema", s.schema}, {"domain", s.domain}});
}

store::CatalogRecord ToRecord(const Dataset& d) {
  return BaseRecord(d.info, kDatasetType, d.dataset_group_arn,
                    {{"dataset_type", d.dataset_type},
                     {"schema_arn", d.schema_arn},
                     {"storage_dir", d.storage_dir}});
}

store::CatalogRecord ToRecord(const DatasetImportJob& j) {
  return BaseRecord(j.info, kDatasetImportJobType, j.dataset_arn,
                    {{"data_location", j.data_location},
                     {"role_arn", j.role_arn},
                     {"import_mode", j.import_mode},
                     {"publish_attribution_metrics_to_s3", j.publish_attribution_metrics_to_s3},
                     {"rows_imported", j.rows_imported}});
}

StatusOr<DatasetGroup> DatasetGroupFromRecord(const store::CatalogRecord& r) {
  return FromRecord<DatasetGroup>(r, kDatasetGroupType, [](const json& b, DatasetGroup& g) {
    g.role_arn = b.value("role_arn", "");
    g.kms_key_arn = b.value("kms_key_arn", "");
    g.domain = b.value("domain", "");
  });
}

StatusOr<DatasetSchema> SchemaFromRecord(const store::CatalogRecord& r) {
  return FromRecord<DatasetSchema>(r, kSchemaType, [](const json& b, DatasetSchema& s) {
    s.schema = b.value("schema", "");
    s.domain = b.value("domain", "");
  });
}

StatusOr<Dataset> DatasetFromRecord(const store::CatalogRecord& r) {
  return FromRecord<Dataset>(r, kDatasetType, [&r](const json& b, Dataset& d) {
    d.dataset_group_arn = r.parent_arn;
    d.dataset_type = b.value("dataset_type", "");
    d.schema_arn = b.value("schema_arn", "");
    d.storage_dir = b.value("storage_dir", "");
  });
}

StatusOr<DatasetImportJob> DatasetImportJobFromRecord(const store::CatalogRecord& r) {
  return FromRecord<DatasetImportJob>(
      r, kDatasetImportJobType, [&r](const json& b, DatasetImportJob& j) {
        j.dataset_arn = r.parent_arn;
        j.data_location = b.value("data_location", "");
        j.role_arn = b.value("role_arn", "");
        j.import_mode = b.value("import_mode", "FULL");
        j.publish_attribution_metrics_to_s3 = b.value("publish_attribution_metrics_to_s3", false);
        j.rows_imported = b.value("rows_imported", int64_t{0});
      });
}

}  // namespace tailor::core
