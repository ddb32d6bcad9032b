/** Tickets per upload chunk. Chunk `i` holds serials `CHUNK_SIZE·i … CHUNK_SIZE·i + CHUNK_SIZE − 1`. */
export const CHUNK_SIZE = 50
export const MAX_QUANTITY = 1_000_000
/** Most chunks one run upload may carry (PUT /api/batches/:id/chunks/:first-:last): 1,600 tickets, 100 KiB. */
export const MAX_RUN_CHUNKS = 32
export const MAX_EVENT_LENGTH = 120
export const MAX_TICKET_TYPE_LENGTH = 40
/** Longest token a chunk may carry: ample for a 40-character ticket type (at most 394 characters). */
export const MAX_TOKEN_LENGTH = 512
/** Largest price accepted, in minor units (10 million in major units). */
export const MAX_PRICE_MINOR = 1_000_000_000
/** Most seats one ticket type may have. */
export const MAX_CAPACITY = 100_000_000
export const MAX_VENUE_LENGTH = 120
/** Most ticket types one event may have. */
export const MAX_TICKET_TYPES = 50
/** Width of a bar of the door dashboard's check-in chart. */
export const CHECKIN_BUCKET_MINUTES = 5
