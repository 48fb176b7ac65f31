// Runs each SQL query given on the command line in an in-memory DuckDB and prints every result
// row as a JSON array on its own line: an independent reader of the files Floe writes.
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
for (const query of process.argv.slice(2)) {
  const result = await connection.runAndReadAll(query);
  for (const row of result.getRowsJson()) {
    console.log(JSON.stringify(row));
  }
}
