import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addressGroup } from './address-group.ts'

test('an IPv4 address is its own group; an IPv6 address counts by its /64, a mapped IPv4 as that address', () => {
  assert.equal(addressGroup('10.0.0.1'), '10.0.0.1')
  assert.equal(addressGroup('::ffff:10.0.0.1'), '10.0.0.1')
  assert.equal(addressGroup('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64')
  assert.equal(addressGroup('2001:DB8:1:2:ffff:ffff:ffff:ffff'), addressGroup('2001:db8:1:2::'))
  assert.notEqual(addressGroup('2001:db8:1:3::1'), addressGroup('2001:db8:1:2::1'))
})
