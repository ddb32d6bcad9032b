import { errorCodes } from 'fastify'
import fp from 'fastify-plugin'

/**
 * JSON is the only request body this API reads: anything else is 415 rather than a string that
 * then fails validation. A route that takes no body (complete, cancel) also accepts an empty body
 * sent with content-type application/json, as fetch() callers often do. A route that names its
 * media types (config.mediaTypes) without JSON refuses a JSON body as 415 too, unread.
 */
export default fp(
  async function jsonBodies(app) {
    const parseJson = app.getDefaultJsonParser('error', 'error')
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      // parseAs 'string' delivers a string; the overload's type does not say so.
      const text = body as string
      const accepted = (request.routeOptions.config as { mediaTypes?: string[] }).mediaTypes
      if (accepted && !accepted.includes('application/json')) {
        done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('application/json'), undefined)
        return
      }
      if (text.length === 0 && request.routeOptions.schema?.body === undefined) {
        done(null, undefined)
        return
      }
      parseJson(request, text, done)
    })
  },
  { name: 'json-bodies' },
)
