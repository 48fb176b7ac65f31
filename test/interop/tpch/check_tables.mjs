// Loads the TPC-H Parquet files that `floe tpch generate --sf 0.01` wrote into DuckDB and checks
// them against the specification (clause 4.2): row counts, types, fixed contents, keys, the
// value rules between columns, and query answers of the expected shape.
// Usage (from the repository root): node test/interop/tpch/check_tables.mjs DIRECTORY
import { join } from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';

const directory = process.argv[2];
const tables = ['region', 'nation', 'supplier', 'customer', 'part', 'partsupp', 'orders',
  'lineitem'];

let passed = 0;
let failed = 0;
function check(name, condition, detail = '') {
  if (condition) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`FAILED - ${name}${detail ? ': ' + detail : ''}`);
  }
}

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
for (const table of tables) {
  const path = join(directory, `${table}.parquet`).replaceAll("'", "''");
  await connection.run(`CREATE VIEW ${table} AS SELECT * FROM read_parquet('${path}')`);
}

async function rows(sql) {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowsJson();
}
async function scalar(sql) {
  const [[value]] = await rows(sql);
  return value === null ? null : Number(value);
}
const show = (value) => JSON.stringify(value);

async function checkCounts() {
  const expected = { region: 5, nation: 25, supplier: 100, customer: 1500, part: 2000,
    partsupp: 8000, orders: 15000 };
  for (const [table, count] of Object.entries(expected)) {
    const actual = await scalar(`SELECT count(*) FROM ${table}`);
    check(`${table} has ${count} rows`, actual === count, `got ${actual}`);
  }
  const lines = await scalar('SELECT count(*) FROM lineitem');
  check('lineitem has about 60,000 rows', lines > 58000 && lines < 62000, `got ${lines}`);
}

async function checkTypes() {
  const expected = {
    'lineitem.l_orderkey': 'BIGINT', 'lineitem.l_linenumber': 'INTEGER',
    'lineitem.l_quantity': 'DECIMAL(15,2)', 'lineitem.l_extendedprice': 'DECIMAL(15,2)',
    'lineitem.l_shipdate': 'DATE', 'lineitem.l_returnflag': 'VARCHAR',
    'orders.o_totalprice': 'DECIMAL(15,2)', 'orders.o_orderdate': 'DATE',
    'part.p_size': 'INTEGER', 'partsupp.ps_supplycost': 'DECIMAL(15,2)',
    'customer.c_acctbal': 'DECIMAL(15,2)', 'nation.n_nationkey': 'BIGINT',
  };
  for (const [column, type] of Object.entries(expected)) {
    const [table, name] = column.split('.');
    const described = await rows(`SELECT column_type FROM (DESCRIBE ${table}) WHERE column_name = '${name}'`);
    check(`${column} is ${type}`, described.length === 1 && described[0][0] === type,
      show(described));
  }
}

async function checkFixedContents() {
  const nations = await rows('SELECT n_nationkey, n_name, n_regionkey FROM nation ORDER BY 1');
  const expectedNations = [['0', 'ALGERIA', '0'], ['1', 'ARGENTINA', '1'], ['2', 'BRAZIL', '1'],
    ['3', 'CANADA', '1'], ['4', 'EGYPT', '4'], ['5', 'ETHIOPIA', '0'], ['6', 'FRANCE', '3'],
    ['7', 'GERMANY', '3'], ['8', 'INDIA', '2'], ['9', 'INDONESIA', '2'], ['10', 'IRAN', '4'],
    ['11', 'IRAQ', '4'], ['12', 'JAPAN', '2'], ['13', 'JORDAN', '4'], ['14', 'KENYA', '0'],
    ['15', 'MOROCCO', '0'], ['16', 'MOZAMBIQUE', '0'], ['17', 'PERU', '1'], ['18', 'CHINA', '2'],
    ['19', 'ROMANIA', '3'], ['20', 'SAUDI ARABIA', '4'], ['21', 'VIETNAM', '2'],
    ['22', 'RUSSIA', '3'], ['23', 'UNITED KINGDOM', '3'], ['24', 'UNITED STATES', '1']];
  check('nation holds the 25 nations of the specification',
    show(nations) === show(expectedNations), show(nations));
  const regions = await rows('SELECT r_regionkey, r_name FROM region ORDER BY 1');
  const expectedRegions = [['0', 'AFRICA'], ['1', 'AMERICA'], ['2', 'ASIA'], ['3', 'EUROPE'],
    ['4', 'MIDDLE EAST']];
  check('region holds the 5 regions of the specification',
    show(regions) === show(expectedRegions), show(regions));
}

// Each query counts the rows that break a rule; every count must be zero.
const violations = {
  'order keys unique': 'SELECT count(*) - count(DISTINCT o_orderkey) FROM orders',
  'order keys sparse (first 8 of 32)': 'SELECT count(*) FROM orders WHERE (o_orderkey - 1) % 32 >= 8',
  'lineitem keys unique':
    'SELECT count(*) - count(DISTINCT (l_orderkey, l_linenumber)) FROM lineitem',
  'partsupp keys unique': 'SELECT count(*) - count(DISTINCT (ps_partkey, ps_suppkey)) FROM partsupp',
  'every lineitem has its order':
    'SELECT count(*) FROM lineitem WHERE l_orderkey NOT IN (SELECT o_orderkey FROM orders)',
  'every order has lines':
    'SELECT count(*) FROM orders WHERE o_orderkey NOT IN (SELECT l_orderkey FROM lineitem)',
  'lineitem part and supplier are a partsupp pair': `SELECT count(*) FROM lineitem
      ANTI JOIN partsupp ON l_partkey = ps_partkey AND l_suppkey = ps_suppkey`,
  'orders name existing customers, none a multiple of 3': `SELECT count(*) FROM orders
      WHERE o_custkey NOT IN (SELECT c_custkey FROM customer) OR o_custkey % 3 = 0`,
  'supplier and customer nations exist': `SELECT
      (SELECT count(*) FROM supplier WHERE s_nationkey NOT IN (SELECT n_nationkey FROM nation)) +
      (SELECT count(*) FROM customer WHERE c_nationkey NOT IN (SELECT n_nationkey FROM nation))`,
  'ship date is 1..121 days after the order date': `SELECT count(*) FROM lineitem JOIN orders
      ON l_orderkey = o_orderkey WHERE l_shipdate - o_orderdate NOT BETWEEN 1 AND 121`,
  'commit date is 30..90 days after the order date': `SELECT count(*) FROM lineitem JOIN orders
      ON l_orderkey = o_orderkey WHERE l_commitdate - o_orderdate NOT BETWEEN 30 AND 90`,
  'receipt date is 1..30 days after the ship date':
    'SELECT count(*) FROM lineitem WHERE l_receiptdate - l_shipdate NOT BETWEEN 1 AND 30',
  'order dates lie in [1992-01-01, 1998-08-02]': `SELECT count(*) FROM orders
      WHERE o_orderdate NOT BETWEEN DATE '1992-01-01' AND DATE '1998-08-02'`,
  'return flag follows the receipt date': `SELECT count(*) FROM lineitem WHERE
      CASE WHEN l_receiptdate <= DATE '1995-06-17' THEN l_returnflag NOT IN ('R', 'A')
           ELSE l_returnflag <> 'N' END`,
  'line status follows the ship date': `SELECT count(*) FROM lineitem WHERE l_linestatus <>
      CASE WHEN l_shipdate > DATE '1995-06-17' THEN 'O' ELSE 'F' END`,
  'order status follows the line statuses': `SELECT count(*) FROM orders JOIN (
      SELECT l_orderkey, CASE WHEN bool_and(l_linestatus = 'F') THEN 'F'
        WHEN bool_and(l_linestatus = 'O') THEN 'O' ELSE 'P' END AS status
      FROM lineitem GROUP BY l_orderkey) ON o_orderkey = l_orderkey WHERE o_orderstatus <> status`,
  'total price sums the lines': `SELECT count(*) FROM orders JOIN (
      SELECT l_orderkey, sum(round(l_extendedprice * (1 + l_tax) * (1 - l_discount), 2)) AS total
      FROM lineitem GROUP BY l_orderkey) ON o_orderkey = l_orderkey WHERE o_totalprice <> total`,
  'extended price is quantity times retail price': `SELECT count(*) FROM lineitem JOIN part
      ON l_partkey = p_partkey WHERE l_extendedprice <> l_quantity * p_retailprice`,
  'retail price follows its formula': `SELECT count(*) FROM part WHERE p_retailprice * 100 <>
      90000 + (p_partkey // 10) % 20001 + 100 * (p_partkey % 1000)`,
  'phones start with the nation key plus 10': `SELECT count(*) FROM customer
      WHERE CAST(substring(c_phone, 1, 2) AS INTEGER) <> c_nationkey + 10`,
  'values stay in their ranges': `SELECT count(*) FROM lineitem WHERE l_quantity NOT BETWEEN 1 AND 50
      OR l_discount NOT BETWEEN 0 AND 0.10 OR l_tax NOT BETWEEN 0 AND 0.08 OR l_linenumber > 7`,
};

async function checkRules() {
  for (const [name, sql] of Object.entries(violations)) {
    const count = await scalar(sql);
    check(name, count === 0, `${count} rows break the rule`);
  }
}

async function checkDistributions() {
  const distinct = {
    'p_type has 150 values': ['SELECT count(DISTINCT p_type) FROM part', 150],
    'p_container has 40 values': ['SELECT count(DISTINCT p_container) FROM part', 40],
    'c_mktsegment has 5 values': ['SELECT count(DISTINCT c_mktsegment) FROM customer', 5],
    'o_orderpriority has 5 values': ['SELECT count(DISTINCT o_orderpriority) FROM orders', 5],
    'l_shipmode has 7 values': ['SELECT count(DISTINCT l_shipmode) FROM lineitem', 7],
    'l_shipinstruct has 4 values': ['SELECT count(DISTINCT l_shipinstruct) FROM lineitem', 4],
    'p_size spans 1..50': ['SELECT count(DISTINCT p_size) FROM part', 50],
  };
  for (const [name, [sql, count]] of Object.entries(distinct)) {
    const actual = await scalar(sql);
    check(name, actual === count, `got ${actual}`);
  }
  const special = await scalar(
    "SELECT count(*) FROM orders WHERE o_comment LIKE '%special%requests%'");
  check('some order comments mention special requests (Q13)', special > 0 && special < 1500,
    `got ${special}`);
  const complaints = await scalar(
    "SELECT count(*) FROM supplier WHERE s_comment LIKE '%Customer%Complaints%'");
  check('some suppliers have complaints (Q16)', complaints >= 1 && complaints <= 5,
    `got ${complaints}`);
}

async function checkQueries() {
  const q1 = await rows(`SELECT l_returnflag, l_linestatus, sum(l_quantity), avg(l_quantity),
      avg(l_extendedprice), avg(l_discount), count(*) FROM lineitem
      WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL 90 DAY GROUP BY ALL ORDER BY ALL`);
  check('Q1 returns the groups A/F, N/F, N/O, R/F',
    show(q1.map((row) => row[0] + row[1])) === show(['AF', 'NF', 'NO', 'RF']), show(q1));
  const plausible = q1.every((row) => {
    const [quantity, price, discount] = [Number(row[3]), Number(row[4]), Number(row[5])];
    return quantity > 24 && quantity < 27 && price > 34000 && price < 42000 &&
      discount > 0.045 && discount < 0.055;
  });
  check('Q1 averages are plausible (quantity ~25.5, price ~38,000, discount ~0.05)', plausible,
    show(q1));
  const q6 = await scalar(`SELECT sum(l_extendedprice * l_discount) FROM lineitem
      WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01'
        AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24`);
  check('Q6 revenue is positive', q6 > 0, `got ${q6}`);
  const q13 = await rows(`SELECT c_count, count(*) FROM (SELECT c_custkey, count(o_orderkey) AS c_count
      FROM customer LEFT JOIN orders ON c_custkey = o_custkey
        AND o_comment NOT LIKE '%special%requests%' GROUP BY c_custkey)
      GROUP BY c_count ORDER BY c_count`);
  const withoutOrders = q13.length > 0 && q13[0][0] === '0' ? Number(q13[0][1]) : 0;
  check('Q13: a third of the customers have no orders', withoutOrders >= 500 && withoutOrders < 520,
    show(q13.slice(0, 3)));
  check('Q13: the others spread over many order counts', q13.length > 15, `${q13.length} groups`);
}

await checkCounts();
await checkTypes();
await checkFixedContents();
await checkRules();
await checkDistributions();
await checkQueries();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
