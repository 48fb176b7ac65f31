// How the TPC-H answers of Floe and DuckDB are compared, shared by the SQL test
// (test/sql/tpch/compare_with_duckdb.mjs) and the benchmark (bench/tpch/run.mjs): rows as text,
// numbers equal within 1e-6 relative (Floe computes exact decimals; DuckDB's averages are
// doubles).

// DuckDB's value as the text Floe's CSV and JSON give.
export function duckText(value) {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

// Text equal, or numbers within 1e-6 relative.
function same(a, b) {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && !Number.isNaN(x) && !Number.isNaN(y)) {
    return Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
  }
  return a === b;
}

// Compares in order when the query orders its result, else as sorted lists of rows.
export function compareRows(sql, actual, expected) {
  if (actual.length !== expected.length) {
    return `${actual.length} rows, DuckDB has ${expected.length}`;
  }
  if (!/order\s+by/i.test(sql.replace(/--.*$/gm, ''))) {
    const key = (row) => row.join('\u0001');
    actual = [...actual].sort((a, b) => key(a).localeCompare(key(b)));
    expected = [...expected].sort((a, b) => key(a).localeCompare(key(b)));
  }
  for (let r = 0; r < expected.length; r++) {
    for (let c = 0; c < expected[r].length; c++) {
      if (!same(actual[r][c] ?? '', expected[r][c])) {
        return `row ${r + 1} column ${c + 1}: ${actual[r][c]}, DuckDB ${expected[r][c]}`;
      }
    }
  }
  return '';
}
