'use strict'
// Mutual authentication against the virtual chip, then a READ BINARY over secure messaging.
const assert = require('node:assert/strict')
const { sam } = require('ktpel')

const seed = Buffer.from('000102030405060708090A0B0C0D0E0F', 'hex')
const chip = sam.VirtualChip.demo('ktpel', seed, 1)
const auth = new sam.MutualAuth({ profile: 'ktpel', seed })
const sm = auth.onAuthenticate(chip.process(auth.onChallenge(chip.process(auth.getChallenge()))))
const send = (apdu) => sm.unprotect(chip.process(sm.protect(sam.apdu.encode(apdu))))
assert.equal(send({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: Buffer.from([1, 1]) }).sw, 0x9000)
const r = send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, data: Buffer.alloc(0), le: 64 })
console.log(r.sw.toString(16), r.data.toString('latin1'))
