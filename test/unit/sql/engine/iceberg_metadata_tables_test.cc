#include "sql/engine/iceberg_metadata_tables.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "io/local/local_file_system.h"
#include "sql/engine/database.h"
#include "sql/engine/result_text.h"
#include "sql/engine/session.h"
#include "table/relocated_file_system.h"
#include "unit/sql/engine/engine_test_base.h"

namespace floe::sql::engine {
namespace {

namespace fs = std::filesystem;

// Tables written by other engines in the shared interop fixtures, where they lie and the
// location their metadata records (not where they lie here). The expected values below come
// from their metadata JSON and their folder listings.
struct InteropTable {
  std::string_view folder;
  std::string_view recorded_location;
  std::string_view metadata_file;
};

// PyIceberg, v2, partitioned by name, with equality deletes.
constexpr InteropTable kEqualityDeletes = {
    "equality_deletes/warehouse/mydb/mytable_partitioned",
    "data/persistent/equality_deletes/warehouse/mydb/mytable_partitioned", "v6.metadata.json"};
// Spark, v1, a snapshot naming its manifests without a manifest list.
constexpr InteropTable kLegacyV1 = {"iceberg_v1_deprecated/default/legacy_v1",
                                    "data/persistent/iceberg_v1_deprecated/default/legacy_v1",
                                    "v2.metadata.json"};

// Iceberg 1.8.1 (Spark), v3, one data file and a deletion vector stored as a bare blob.
constexpr InteropTable kBareDeletionVector = {
    "legacy_bare_deletion_vector/warehouse/default/legacy_bare_deletion_vector",
    "data/persistent/legacy_bare_deletion_vector/warehouse/default/legacy_bare_deletion_vector",
    "00002-legacy-bare-dv.metadata.json"};

fs::path InteropRoot() {
  return fs::path(FLOE_SOURCE_DIR) / ".." / "shared" / "iceberg-interop";
}

// Snapshot ids are random in tables Floe writes, so what depends on them is checked here, where
// one query's result feeds the next; the rest is in test/sql/iceberg/metadata_tables.test.
class IcebergMetadataTablesTest : public EngineTestBase {
 protected:
  /// Registers `table` as public.interop, its recorded paths served from its folder.
  void RegisterInteropTable(const InteropTable& table) {
    fs::path folder = InteropRoot() / table.folder;
    database_->file_systems().Register(
        "", std::make_shared<table::RelocatedFileSystem>(std::make_shared<io::LocalFileSystem>(),
                                                         std::string(table.recorded_location),
                                                         folder.string()));
    Status status = database_->metastore().RegisterTable(
        {{"public"}, "interop"}, (folder / "metadata" / table.metadata_file).string());
    ASSERT_TRUE(status.ok()) << status.ToString();
  }
};

TEST_F(IcebergMetadataTablesTest, RowsNameTheSnapshotsThatWroteThem) {
  Run("CREATE TABLE t (id integer, kind text) PARTITIONED BY (kind)");
  Run("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  Run("INSERT INTO t VALUES (3, 'a')");
  std::vector<std::string> snapshots = Query("SELECT snapshot_id FROM t$snapshots");
  ASSERT_EQ(snapshots.size(), 2u);
  EXPECT_EQ(
      Query("SELECT snapshot_id, coalesce(parent_id, 0), is_current_ancestor FROM t$history"),
      (std::vector<std::string>{snapshots[0] + "|0|t", snapshots[1] + "|" + snapshots[0] + "|t"}));
  EXPECT_EQ(Query("SELECT name, type, snapshot_id, min_snapshots_to_keep FROM t$refs"),
            (std::vector<std::string>{"main|BRANCH|" + snapshots[1] + "|NULL"}));
  // Each insert added one manifest.
  std::vector<std::string> manifests = Query(
      "SELECT m.added_snapshot_id, m.added_data_files_count FROM t$manifests m "
      "JOIN t$snapshots s ON m.added_snapshot_id = s.snapshot_id");
  std::sort(manifests.begin(), manifests.end());
  std::vector<std::string> expected = {snapshots[0] + "|2", snapshots[1] + "|1"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(manifests, expected);
  EXPECT_EQ(Query("SELECT last_updated_snapshot_id FROM t$partitions ORDER BY record_count"),
            (std::vector<std::string>{snapshots[0], snapshots[1]}));
}

TEST_F(IcebergMetadataTablesTest, HistoryHasTheCommitTimes) {
  Run("CREATE TABLE t (id integer)");
  Run("INSERT INTO t VALUES (1)");
  Run("INSERT INTO t VALUES (2)");
  EXPECT_EQ(Query("SELECT count(*) FILTER (WHERE is_current_ancestor) FROM t$history"),
            (std::vector<std::string>{"2"}));
  EXPECT_EQ(Query("SELECT count(*) FROM t$history h JOIN t$snapshots s USING (snapshot_id) "
                  "WHERE h.made_current_at = s.committed_at"),
            (std::vector<std::string>{"2"}));
}

TEST_F(IcebergMetadataTablesTest, ReadsATableWrittenByAnotherEngine) {
  RegisterInteropTable(kEqualityDeletes);
  const std::string_view recorded = kEqualityDeletes.recorded_location;
  EXPECT_EQ(Query("SELECT snapshot_id, coalesce(parent_id, 0), is_current_ancestor, "
                  "made_current_at = to_timestamp(1760585153.811) FROM interop$history"),
            (std::vector<std::string>{"6447922032991303611|0|t|t",
                                      "4416477559988274704|6447922032991303611|t|f",
                                      "6022113614852838397|4416477559988274704|t|f",
                                      "883882341917253211|6022113614852838397|t|f",
                                      "3138177759849079112|883882341917253211|t|f"}));
  EXPECT_EQ(Query("SELECT name, type, snapshot_id FROM interop$refs"),
            (std::vector<std::string>{"main|BRANCH|3138177759849079112"}));
  // Six data files, one per partition folder, and three equality delete files.
  EXPECT_EQ(Query("SELECT content, count(*), count(DISTINCT file_path), sum(record_count) > 0 "
                  "FROM interop$files GROUP BY content ORDER BY content"),
            (std::vector<std::string>{"0|6|6|t", "2|3|3|t"}));
  EXPECT_EQ(Query("SELECT partition, file_format, spec_id FROM interop$data_files "
                  "ORDER BY file_path"),
            (std::vector<std::string>{"(a)|PARQUET|0", "(b)|PARQUET|0", "(c)|PARQUET|0",
                                      "(d)|PARQUET|0", "(e)|PARQUET|0", "(f)|PARQUET|0"}));
  std::vector<std::string> deletes =
      Query("SELECT file_path, equality_ids IS NOT NULL FROM interop$delete_files ORDER BY 1");
  ASSERT_EQ(deletes.size(), 3u);
  for (const std::string& row : deletes) {
    EXPECT_EQ(row.rfind(std::string(recorded) + "/data/name=", 0), 0u) << row;
    EXPECT_TRUE(row.ends_with(".parquet|t")) << row;
  }
  // Every live file is on disk where the recorded location maps to.
  for (const std::string& path : Query("SELECT file_path FROM interop$files")) {
    fs::path local = InteropRoot() / kEqualityDeletes.folder / path.substr(recorded.size() + 1);
    EXPECT_TRUE(fs::exists(local)) << local;
  }
  EXPECT_EQ(Query("SELECT partition, file_count, equality_delete_file_count FROM "
                  "interop$partitions WHERE equality_delete_file_count > 0"),
            (std::vector<std::string>{"(b)|1|1", "(c)|1|1", "(f)|1|1"}));
}

TEST_F(IcebergMetadataTablesTest, ReadsAV1TableWithoutManifestList) {
  RegisterInteropTable(kLegacyV1);
  EXPECT_EQ(Query("SELECT snapshot_id, parent_id, is_current_ancestor FROM interop$history"),
            (std::vector<std::string>{"2456114553637229296|NULL|t"}));
  // Without a manifest list there are no file counts or partition summaries to show.
  EXPECT_EQ(Query("SELECT content, partition_spec_id, added_snapshot_id, added_data_files_count, "
                  "partition_summaries::text, path LIKE '%-m0.avro' FROM interop$manifests"),
            (std::vector<std::string>{"0|0|2456114553637229296|NULL|{}|t"}));
  // Two data files, one per partition folder, holding the summary's three records.
  EXPECT_EQ(Query("SELECT partition, content, spec_id FROM interop$files ORDER BY file_path"),
            (std::vector<std::string>{"(alpha)|0|0", "(beta)|0|0"}));
  EXPECT_EQ(Query("SELECT sum(record_count)::bigint, count(*) FROM interop$partitions"),
            (std::vector<std::string>{"3|2"}));
  EXPECT_EQ(Query("SELECT status, snapshot_id, sequence_number FROM interop$entries"),
            (std::vector<std::string>{"1|2456114553637229296|0", "1|2456114553637229296|0"}));
}

TEST_F(IcebergMetadataTablesTest, TimeTravelShowsTheFilesOfAnOlderSnapshot) {
  Run("CREATE TABLE t (id integer, kind text) PARTITIONED BY (kind) "
      "WITH ('write.delete.mode' = 'merge-on-read')");
  // s1 adds fa (ids 1, 2) and fb (id 3) in one manifest; s2 adds fc (id 4).
  Run("INSERT INTO t VALUES (1, 'a'), (2, 'a'), (3, 'b')");
  Run("INSERT INTO t VALUES (4, 'c')");
  // s3 deletes position 1 of fa in a position delete file.
  Run("DELETE FROM t WHERE id = 2");
  // s4 removes fb, whose every row matches: s1's manifest is rewritten with fb deleted.
  Run("DELETE FROM t WHERE id = 3");
  std::vector<std::string> snapshots = Query("SELECT snapshot_id FROM t$snapshots");
  ASSERT_EQ(snapshots.size(), 4u);
  auto count_at = [&](const std::string& table, const std::string& snapshot) {
    std::vector<std::string> rows =
        Query("SELECT count(*) FROM t$" + table + " FOR VERSION AS OF " + snapshot);
    return rows.empty() ? std::string("error") : rows[0];
  };
  EXPECT_EQ(count_at("data_files", snapshots[0]), "2");
  EXPECT_EQ(count_at("data_files", snapshots[1]), "3");
  EXPECT_EQ(count_at("data_files", snapshots[3]), "2");
  EXPECT_EQ(count_at("delete_files", snapshots[1]), "0");
  EXPECT_EQ(count_at("files", snapshots[2]), "4");
  EXPECT_EQ(count_at("position_deletes", snapshots[1]), "0");
  EXPECT_EQ(count_at("manifests", snapshots[0]), "1");
  EXPECT_EQ(count_at("manifests", snapshots[2]), "3");
  EXPECT_EQ(
      Query("SELECT partition, pos FROM t$position_deletes FOR VERSION AS OF " + snapshots[2]),
      (std::vector<std::string>{"(a)|1"}));
  EXPECT_EQ(Query("SELECT partition, record_count, file_count, position_delete_file_count "
                  "FROM t$partitions FOR VERSION AS OF " +
                  snapshots[0] + " ORDER BY partition::text"),
            (std::vector<std::string>{"(a)|2|1|0", "(b)|1|1|0"}));
  // At s4: fa existing and fb deleted in the rewritten manifest, fc and the delete file added.
  EXPECT_EQ(Query("SELECT status, count(*) FROM t$entries FOR VERSION AS OF " + snapshots[3] +
                  " GROUP BY status ORDER BY status"),
            (std::vector<std::string>{"0|1", "1|2", "2|1"}));
  EXPECT_EQ(Query("SELECT status, snapshot_id FROM t$entries FOR VERSION AS OF " + snapshots[0]),
            (std::vector<std::string>{"1|" + snapshots[0], "1|" + snapshots[0]}));
  // A snapshot's manifests are its rows of all_manifests.
  for (const std::string& snapshot : snapshots) {
    std::vector<std::string> at =
        Query("SELECT path FROM t$manifests FOR VERSION AS OF " + snapshot + " ORDER BY path");
    EXPECT_EQ(at, Query("SELECT path FROM t$all_manifests WHERE reference_snapshot_id = " +
                        snapshot + " ORDER BY path"));
  }
  // By commit time: the snapshot current then.
  std::vector<std::string> times = Query("SELECT committed_at FROM t$snapshots");
  ASSERT_EQ(times.size(), 4u);
  EXPECT_EQ(Query("SELECT count(*) FROM t$data_files FOR TIMESTAMP AS OF '" + times[0] + "'"),
            (std::vector<std::string>{"2"}));
  EXPECT_EQ(Query("SELECT count(*) FROM t$position_deletes FOR TIMESTAMP AS OF '" + times[2] + "'"),
            (std::vector<std::string>{"1"}));
  // The table itself and its metadata tables travel on their own in one query.
  EXPECT_EQ(Query("SELECT (SELECT count(*) FROM t FOR VERSION AS OF " + snapshots[0] +
                  "), (SELECT sum(record_count)::bigint FROM t$data_files FOR VERSION AS OF " +
                  snapshots[0] + "), (SELECT count(*) FROM t$data_files)"),
            (std::vector<std::string>{"3|3|2"}));
}

TEST_F(IcebergMetadataTablesTest, MetadataLogEntriesNameTheSnapshotOfEachMetadataFile) {
  Run("CREATE TABLE t (id integer)");
  Run("INSERT INTO t VALUES (1)");
  Run("ALTER TABLE t ADD COLUMN note text");
  Run("INSERT INTO t VALUES (2, 'x')");
  std::vector<std::string> snapshots = Query("SELECT snapshot_id FROM t$snapshots");
  ASSERT_EQ(snapshots.size(), 2u);
  // CREATE TABLE's file, the first insert's, ALTER TABLE's (new schema, same snapshot) and the
  // second insert's, current, whose snapshot was written with schema 1.
  EXPECT_EQ(Query("SELECT coalesce(latest_snapshot_id, 0), latest_schema_id, "
                  "latest_sequence_number FROM t$metadata_log_entries"),
            (std::vector<std::string>{"0|NULL|NULL", snapshots[0] + "|0|1", snapshots[0] + "|0|1",
                                      snapshots[1] + "|1|2"}));
  std::vector<std::string> files = Query("SELECT file FROM t$metadata_log_entries");
  ASSERT_EQ(files.size(), 4u);
  for (const std::string& file : files) {
    EXPECT_TRUE(file.ends_with(".metadata.json")) << file;
    EXPECT_TRUE(fs::exists(file)) << file;
  }
  EXPECT_EQ(Query("SELECT count(DISTINCT file) FROM t$metadata_log_entries"),
            (std::vector<std::string>{"4"}));
}

TEST_F(IcebergMetadataTablesTest, ReadsTheHistoryOfATableWrittenByAnotherEngine) {
  RegisterInteropTable(kEqualityDeletes);
  // Its metadata JSON lists five snapshots, each adding files and removing none; each
  // snapshot's manifest list (read independently) lists its own new manifest and those of
  // every earlier snapshot, five manifests in all: 6 data files in 2, 3 delete files in 3.
  EXPECT_EQ(Query("SELECT reference_snapshot_id, count(*), sum(content) FROM "
                  "interop$all_manifests GROUP BY 1 ORDER BY 2"),
            (std::vector<std::string>{"6447922032991303611|1|0", "4416477559988274704|2|1",
                                      "6022113614852838397|3|2", "883882341917253211|4|2",
                                      "3138177759849079112|5|3"}));
  EXPECT_EQ(Query("SELECT count(*), count(DISTINCT path) FROM interop$all_manifests"),
            (std::vector<std::string>{"15|5"}));
  EXPECT_EQ(Query("SELECT content, count(*), count(DISTINCT file_path) FROM interop$all_files "
                  "GROUP BY content ORDER BY content"),
            (std::vector<std::string>{"0|6|6", "2|3|3"}));
  EXPECT_EQ(Query("SELECT (SELECT count(*) FROM interop$all_data_files), "
                  "(SELECT count(*) FROM interop$all_delete_files), "
                  "(SELECT count(*) FROM interop$all_entries WHERE status = 1)"),
            (std::vector<std::string>{"6|3|9"}));
  // The metadata log's five files, then the current one (where it lies here), each with the
  // snapshot-log entry at or before its time.
  const std::string recorded = std::string(kEqualityDeletes.recorded_location) + "/metadata/";
  const std::string here = (InteropRoot() / kEqualityDeletes.folder / "metadata").string() + "/";
  EXPECT_EQ(Query("SELECT extract(epoch FROM timestamp) * 1000, file, latest_snapshot_id, "
                  "latest_schema_id, latest_sequence_number FROM interop$metadata_log_entries"),
            (std::vector<std::string>{
                "1760585152178.000000|" + recorded + "v1.metadata.json|NULL|NULL|NULL",
                "1760585153811.000000|" + recorded + "v2.metadata.json|6447922032991303611|0|1",
                "1760585153998.000000|" + recorded + "v3.metadata.json|4416477559988274704|0|2",
                "1760585154134.000000|" + recorded + "v4.metadata.json|6022113614852838397|0|3",
                "1760585154287.000000|" + recorded + "v5.metadata.json|883882341917253211|0|4",
                "1760585154430.000000|" + here + "v6.metadata.json|3138177759849079112|0|5"}));
  // At the second snapshot: the first append's four data files and one equality delete file.
  EXPECT_EQ(Query("SELECT content, count(*) FROM interop$files FOR VERSION AS OF "
                  "4416477559988274704 GROUP BY content ORDER BY content"),
            (std::vector<std::string>{"0|4", "2|1"}));
  EXPECT_EQ(Query("SELECT count(*) FROM interop$delete_files FOR TIMESTAMP AS OF "
                  "'2025-10-16 03:25:54.134+00'"),
            (std::vector<std::string>{"2"}));
  EXPECT_EQ(Query("SELECT count(*) FROM interop$position_deletes"),
            (std::vector<std::string>{"0"}));
}

TEST_F(IcebergMetadataTablesTest, PositionDeletesReadDeletionVectors) {
  RegisterInteropTable(kBareDeletionVector);
  // The Puffin file is one bare deletion-vector blob: a 64-bit roaring bitmap holding position
  // 1 of the table's one data file, which the delete manifest names as referenced.
  const std::string_view recorded = kBareDeletionVector.recorded_location;
  EXPECT_EQ(Query("SELECT file_path, pos, spec_id, delete_file_path "
                  "FROM interop$position_deletes"),
            (std::vector<std::string>{
                std::string(recorded) +
                "/data/00000-0-cac6cfea-266f-44f8-9a3a-70dd8fb68014.parquet|1|0|" +
                std::string(recorded) + "/data/legacy-bare-deletion-vector.puffin"}));
  EXPECT_EQ(Query("SELECT count(*) FROM interop$position_deletes FOR VERSION AS OF "
                  "8314182234503896325"),
            (std::vector<std::string>{"0"}));
  EXPECT_EQ(Query("SELECT count(*), count(DISTINCT path), count(DISTINCT reference_snapshot_id) "
                  "FROM interop$all_manifests"),
            (std::vector<std::string>{"3|2|2"}));
}

}  // namespace
}  // namespace floe::sql::engine
