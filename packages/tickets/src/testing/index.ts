// `@boxoffice/tickets/testing`: what tests on both sides of the wire use to attack the token
// format, kept beside it so that every suite mutates tokens and keys the same way.
export * from './token-mutations.ts'
export * from './small-order-keys.ts'
