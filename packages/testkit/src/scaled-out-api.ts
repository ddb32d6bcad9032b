// Boxoffice scaled out as the README's "Scaling out" describes it: several API instances
// (api/src/server.ts, each its own process and port) on one PostgreSQL database, behind nginx
// running deploy/nginx/boxoffice.conf. For the end-to-end and load tests that kill instances
// under load.
import type { PostgresConfig } from '../../../api/src/db/storage.ts'
import { ApiProcess } from './api-process.ts'
import { freePort } from './free-port.ts'
import { NginxBalancer } from './nginx-balancer.ts'

export interface ScaledOutApiOptions {
  database: PostgresConfig
  instances: number
  /** Added to every instance's environment. */
  env?: Record<string, string>
}

export class ScaledOutApi {
  readonly instances: ApiProcess[]
  readonly balancer = new NginxBalancer()
  readonly database: PostgresConfig

  constructor(options: ScaledOutApiOptions) {
    this.database = options.database
    // nginx is the only proxy; the instances trust its address alone (BOXOFFICE_TRUST_PROXY).
    const env = { BOXOFFICE_TRUST_PROXY: '127.0.0.1', ...options.env }
    this.instances = Array.from({ length: options.instances }, () => new ApiProcess({ database: options.database, env }))
  }

  /** The address staff open: nginx, over HTTPS with a self-signed certificate. */
  get baseURL(): string {
    return this.balancer.baseURL
  }

  /** Starts every instance at once (they migrate the database once between them), then nginx. */
  async start(): Promise<void> {
    for (const instance of this.instances) instance.port ||= await freePort()
    await Promise.all(this.instances.map((instance) => instance.start()))
    await this.balancer.start(this.instances.map((instance) => instance.port))
  }

  /** `host:port` as nginx's access log names instance `i`. */
  upstreamOf(i: number): string {
    return `127.0.0.1:${this.instances[i]!.port}`
  }

  logs(): string {
    return (
      this.instances.map((instance, i) => `--- instance ${i} (${this.upstreamOf(i)})\n${instance.logs().slice(-3000)}`).join('\n') +
      `\n--- nginx\n${this.balancer.errorLog().slice(-3000)}`
    )
  }

  async dispose(): Promise<void> {
    await this.balancer.dispose()
    await Promise.all(this.instances.map((instance) => instance.dispose()))
  }
}
