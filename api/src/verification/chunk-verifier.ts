// Checking a chunk's tokens is the CPU-heavy part of ingest (one Ed25519 verification per ticket).
// The interface is async and takes plain, structured-cloneable data so that a worker_threads pool
// can replace the in-process implementation without touching the callers.
import type { SignatureLibrary } from './signature-check.ts'

/** What a verifier needs to know about the batch the tickets are uploaded to. */
export interface BatchKey {
  batchId: string
  ticketType: string
  /** Base64url of the raw 32-byte Ed25519 public key. */
  publicKey: string
}

export interface TicketToVerify {
  serial: number
  token: string
}

export type TicketProblemReason =
  'BAD_ENCODING' | 'UNKNOWN_VERSION' | 'WRONG_BATCH' | 'SERIAL_MISMATCH' | 'BAD_SIGNATURE' | 'WRONG_TICKET_TYPE'

export interface TicketProblem {
  serial: number
  reason: TicketProblemReason
  message: string
}

export interface ChunkVerifier {
  /** Which library checks the signatures (signature-check.ts), for the start-up log. */
  readonly library: SignatureLibrary
  /** Resolves to one problem per bad ticket, in input order; an empty array means every ticket is good. */
  verifyChunk(batch: BatchKey, tickets: readonly TicketToVerify[]): Promise<TicketProblem[]>
  close(): Promise<void>
}
