// A strict RFC 4180 reader for the CSV export's tests: quoted fields, doubled quotes, CRLF rows.
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"' && field === '') quoted = true
    else if (char === ',') {
      row.push(field)
      field = ''
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else if (char === '\n' || char === '\r' || char === '"') throw new Error(`bare ${JSON.stringify(char)} at ${i}`)
    else field += char
  }
  if (field !== '' || row.length > 0) throw new Error('the last row does not end with CRLF')
  return rows
}
