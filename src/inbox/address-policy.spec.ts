import { describe, expect, it } from 'vitest';
import { addressRefusal } from './address-policy.js';

describe('addressRefusal', () => {
  it('lets public unicast addresses through', () => {
    expect(addressRefusal('93.184.216.34')).toBeNull();
    expect(addressRefusal('2606:4700:4700::1111')).toBeNull();
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.3.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00::1', 'unique-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(addressRefusal(address)).toContain(kind);
  });

  it('refuses what is not an address', () => {
    expect(addressRefusal('example.com')).toBe('example.com is not an IP address');
  });
});
