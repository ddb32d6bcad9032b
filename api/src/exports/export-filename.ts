import type { Range } from '@boxoffice/tickets'
import type { BatchRecord } from '../db/ticket-repository.ts'

const MAX_PART_LENGTH = 40

/** Letters, digits, dots and dashes only: safe in a Content-Disposition header and on any file system. */
function filenamePart(text: string): string {
  const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
  const safe = ascii.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^[-.]+|[-.]+$/g, '')
  return safe.slice(0, MAX_PART_LENGTH).replace(/[-.]+$/, '') || 'tickets'
}

/** `Spring-Gala-2026-General-admission-3f1c2a4e.csv`, or `…-3f1c2a4e-0-4999.pdf` for part of the batch. */
export function exportFilename(batch: BatchRecord, extension: 'csv' | 'pdf', range?: Range): string {
  const parts = [filenamePart(batch.event), filenamePart(batch.ticketType), batch.id.slice(0, 8)]
  if (range) parts.push(`${range[0]}-${range[1]}`)
  return `${parts.join('-')}.${extension}`
}

/** The Content-Disposition value that makes a browser save the response under `filename`. */
export function attachment(filename: string): string {
  return `attachment; filename="${filename}"`
}
