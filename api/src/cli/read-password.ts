import { AccountError } from '../auth/accounts.ts'

/**
 * The new account's password from stdin. Piped (`echo secret | …`): the first line. At a
 * terminal: typed twice without echo.
 */
export async function readPasswordFromStdin(username: string): Promise<string> {
  if (!process.stdin.isTTY) return firstLine(await readAll(process.stdin))
  const password = await promptHidden(`Password for ${username}: `)
  const again = await promptHidden('Repeat the password: ')
  if (password !== again) throw new AccountError('the two passwords differ')
  return password
}

export function firstLine(text: string): string {
  const end = text.search(/\r?\n/)
  return end === -1 ? text : text.slice(0, end)
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks).toString('utf8')
}

function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin
  process.stderr.write(prompt)
  stdin.setRawMode(true)
  stdin.setEncoding('utf8')
  stdin.resume()
  return new Promise((resolve, reject) => {
    let typed = ''
    const finish = () => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
    }
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish()
          resolve(typed)
          return
        }
        if (char === '\u0003' || char === '\u0004') {
          finish()
          reject(new AccountError('cancelled'))
          return
        }
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('')
        else if (char >= ' ') typed += char
      }
    }
    stdin.on('data', onData)
  })
}
