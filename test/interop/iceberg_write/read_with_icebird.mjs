// Prints every row of an Iceberg table as icebird (an independent JavaScript Iceberg reader)
// reads it, one line per row, values comma-separated in column order.
// Usage: node read_with_icebird.mjs TABLE_FOLDER METADATA_FILE_NAME
import { readFile } from 'node:fs/promises'
import { icebergRead } from 'icebird'

const [tableFolder, metadataFileName] = process.argv.slice(2)

function header(init, name) {
  const headers = init?.headers
  if (!headers) return undefined
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined
  return headers[name] ?? headers[name.toLowerCase()]
}

// icebird fetches over HTTP; the table here lies on local disk, so answer its requests (whole
// files, HEAD for sizes, byte ranges for Parquet footers and pages) from the file system.
globalThis.fetch = async (url, init = {}) => {
  const bytes = await readFile(String(url).replace(/^file:\/\//, ''))
  if ((init.method ?? 'GET') === 'HEAD') {
    return new Response(null, { status: 200, headers: { 'content-length': String(bytes.length) } })
  }
  const range = header(init, 'Range')
  if (range) {
    const [, start, end] = /bytes=(\d+)-(\d*)/.exec(range)
    return new Response(bytes.subarray(Number(start), end ? Number(end) + 1 : bytes.length),
      { status: 206 })
  }
  return new Response(bytes, { status: 200 })
}

const rows = await icebergRead({ tableUrl: tableFolder, metadataFileName })
const text = value => value === null || value === undefined ? ''
  : value instanceof Date ? value.toISOString().slice(0, 10)
  : typeof value === 'boolean' ? (value ? 't' : 'f')
  : String(value)
for (const row of rows) console.log(Object.values(row).map(text).join(','))
