// `boxoffice audit verify`: walks the audit log's hash chain and says whether it holds, or the
// first entry where it breaks. Exit code 0 when it holds, 1 when it breaks.
import { verifyChain, type ChainCheck } from '../audit/audit-chain.ts'
import type { AuditRepository } from '../db/audit-repository.ts'

export const AUDIT_USAGE = '  boxoffice audit verify                         check the audit log has not been changed (its hash chain)'

export async function runAuditVerify(audit: AuditRepository, print: (text: string) => void): Promise<boolean> {
  const check = await verifyChain(audit.scan())
  print(describeCheck(check))
  return check.ok
}

export function describeCheck(check: ChainCheck): string {
  if (!check.ok) {
    return `audit log BROKEN at entry ${check.seq}: ${check.problem} (${check.entries.toLocaleString('en-US')} entries before it check out)`
  }
  if (check.entries === 0) return 'audit log is empty'
  const start =
    check.firstSeq === 1
      ? ''
      : ` (entries before ${check.firstSeq} were removed after the retention period; the chain is checked from there)`
  return `audit log intact: ${check.entries.toLocaleString('en-US')} entries, ${check.firstSeq}–${check.lastSeq}${start}`
}
