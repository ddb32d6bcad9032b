import fp from 'fastify-plugin'

/**
 * JSON is the only request body this API reads: anything else is 415 rather than a string that
 * then fails validation. A route that takes no body (complete, cancel) also accepts an empty body
 * sent with content-type application/json, as fetch() callers often do.
 */
export default fp(
  async function jsonBodies(app) {
    const parseJson = app.getDefaultJsonParser('error', 'error')
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      // parseAs 'string' delivers a string; the overload's type does not say so.
      const text = body as string
      if (text.length === 0 && request.routeOptions.schema?.body === undefined) {
        done(null, undefined)
        return
      }
      parseJson(request, text, done)
    })
  },
  { name: 'json-bodies' },
)
