'use strict'
// A tiny IKD QR verification service (node:http). POST /verify with
// {"token": "IKD1:...", "nik": "..."} answers {"result": "sesuai"} when the
// token verifies and carries that NIK, {"result": "tidak sesuai", "code": ...}
// otherwise. Keys: KTPEL_JWKS (a JWK Set file), audience: KTPEL_AUDIENCE.
//
//   node qr-service.js            # listens on 127.0.0.1:$PORT (default 8080)
const http = require('node:http')
const fs = require('node:fs')
const { qr } = require('ktpel')

function createService({ jwks, audience, now }) {
  const verifier = new qr.Verifier({ jwks, audience, now })
  return http.createServer((req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method !== 'POST' || req.url !== '/verify') return reply(404, { error: 'POST /verify' })
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c) => {
      body += c
      if (body.length > 16384) req.destroy()
    })
    req.on('end', async () => {
      let input
      try {
        input = JSON.parse(body)
      } catch {
        return reply(400, { error: 'body is not JSON' })
      }
      try {
        const claims = await verifier.verify(String(input.token ?? ''))
        const same = input.nik === undefined || claims.identity.nik === input.nik
        reply(200, same ? { result: 'sesuai', nama: claims.identity.nama ?? null } : { result: 'tidak sesuai', code: 'NIK_MISMATCH' })
      } catch (e) {
        reply(200, { result: 'tidak sesuai', code: e.code })
      }
    })
  })
}

module.exports = { createService }

if (require.main === module) {
  const jwks = fs.readFileSync(process.env.KTPEL_JWKS, 'utf8')
  const port = Number(process.env.PORT || 8080)
  createService({ jwks, audience: process.env.KTPEL_AUDIENCE }).listen(port, '127.0.0.1', () => {
    console.log(`IKD QR verification on http://127.0.0.1:${port}/verify`)
  })
}
