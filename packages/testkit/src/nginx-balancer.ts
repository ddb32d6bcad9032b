// Debian's nginx in front of several API instances, running the sample site file of deploy/nginx/
// as an operator would install it: the same upstream, proxy and retry settings, with this run's
// ports, a throwaway TLS certificate and log paths written over the sample's. nginx runs as a
// child process from a config written into a temporary folder (pid, logs and every temp path
// inside it), so nothing of the machine's own nginx is touched.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './free-port.ts'

const run = promisify(execFile)
const SAMPLE = resolve(import.meta.dirname, '../../../deploy/nginx/boxoffice.conf')
const NGINX = process.env.BOXOFFICE_NGINX ?? '/usr/sbin/nginx'

export interface RenderedSite {
  httpPort: number
  httpsPort: number
  certificate: string
  key: string
  accessLog: string
}

/** The sample site file with its upstream servers, listeners, certificate and log replaced. */
export function renderSampleSite(upstreamPorts: readonly number[], site: RenderedSite): string {
  const sample = readFileSync(SAMPLE, 'utf8')
  const replace = (text: string, pattern: RegExp, replacement: string) => {
    if (!pattern.test(text)) throw new Error(`deploy/nginx/boxoffice.conf no longer has a line matching ${pattern}`)
    return text.replace(pattern, replacement)
  }
  const servers = upstreamPorts.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;`).join('\n')
  let text = replace(sample, /( {4}server 127\.0\.0\.1:\d+ [^\n]*\n)+/, `${servers}\n`)
  text = replace(text, /listen 80;/, `listen 127.0.0.1:${site.httpPort};`)
  text = replace(text, /listen 443 ssl http2;/, `listen 127.0.0.1:${site.httpsPort} ssl http2;`)
  text = replace(text, /ssl_certificate \S+;/, `ssl_certificate ${site.certificate};`)
  text = replace(text, /ssl_certificate_key \S+;/, `ssl_certificate_key ${site.key};`)
  return replace(text, /access_log \S+ boxoffice;/, `access_log ${site.accessLog} boxoffice;`)
}

export interface AccessLogLine {
  request: string
  status: number
  /** Every instance nginx tried, in order (several when it moved on from a failed one). */
  upstreams: string[]
  upstreamStatuses: string[]
}

export class NginxBalancer {
  readonly directory = mkdtempSync(join(tmpdir(), 'boxoffice-nginx-'))
  #child: ChildProcess | undefined
  #site: RenderedSite | undefined
  #stderr = ''

  /** The HTTPS address staff would open (the certificate is self-signed: browsers must be told to accept it). */
  get baseURL(): string {
    return `https://127.0.0.1:${this.#site!.httpsPort}`
  }

  get httpURL(): string {
    return `http://127.0.0.1:${this.#site!.httpPort}`
  }

  async start(upstreamPorts: readonly number[]): Promise<void> {
    chmodSync(this.directory, 0o755)
    for (const temp of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      mkdirSync(join(this.directory, temp))
      // nginx's workers drop root for an unprivileged user; they write request bodies here.
      chmodSync(join(this.directory, temp), 0o777)
    }
    const certificate = join(this.directory, 'cert.pem')
    const key = join(this.directory, 'key.pem')
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      certificate,
    ])
    this.#site = {
      httpPort: await freePort(),
      httpsPort: await freePort(),
      certificate,
      key,
      accessLog: join(this.directory, 'access.log'),
    }
    writeFileSync(join(this.directory, 'boxoffice.conf'), renderSampleSite(upstreamPorts, this.#site))
    writeFileSync(join(this.directory, 'nginx.conf'), this.#mainConfig())
    await run(NGINX, ['-t', '-q', '-p', this.directory, '-c', join(this.directory, 'nginx.conf')]).catch((error: { stderr?: string }) => {
      throw new Error(`nginx refused the config: ${error.stderr}`)
    })
    const child = spawn(NGINX, ['-p', this.directory, '-c', join(this.directory, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] })
    this.#child = child
    child.stderr!.on('data', (data: Buffer) => (this.#stderr += data))
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${this.#stderr}${this.errorLog()}`)
      try {
        await fetch(`${this.httpURL}/api/health`)
        return
      } catch {
        await new Promise((r) => setTimeout(r, 50))
      }
    }
    throw new Error(`nginx did not listen within 10 s: ${this.errorLog()}`)
  }

  accessLog(): AccessLogLine[] {
    let text: string
    try {
      text = readFileSync(this.#site!.accessLog, 'utf8')
    } catch {
      return []
    }
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [, request = '', status = '0', upstream = '', upstreamStatus = ''] =
          /"([^"]*)" (\d+) \d+ upstream=(\S*) upstream_status=(\S*)/.exec(line) ?? []
        return { request, status: Number(status), upstreams: upstream.split(/, | : /), upstreamStatuses: upstreamStatus.split(/, | : /) }
      })
  }

  errorLog(): string {
    try {
      return readFileSync(join(this.directory, 'error.log'), 'utf8')
    } catch {
      return ''
    }
  }

  async dispose(): Promise<void> {
    const child = this.#child
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGQUIT')
      await exited
    }
    rmSync(this.directory, { recursive: true, force: true })
  }

  #mainConfig(): string {
    const dir = this.directory
    return `# Written by @boxoffice/testkit for one test run; the site itself is deploy/nginx/boxoffice.conf.
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  access_log off;
  include ${dir}/boxoffice.conf;
}
`
  }
}
