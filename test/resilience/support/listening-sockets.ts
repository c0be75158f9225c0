import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ListeningSocket {
  /** The address as the kernel holds it: `127.0.0.1`, `0.0.0.0`, `::1`, `::`… */
  address: string;
  port: number;
}

const LISTEN = '0A';

/** `0100007F` → 127.0.0.1 (the kernel writes IPv4 addresses as little-endian hex). */
function ipv4(hex: string): string {
  return [6, 4, 2, 0].map((offset) => parseInt(hex.slice(offset, offset + 2), 16)).join('.');
}

/** 32 hex digits, four little-endian words → the address's eight groups, shortened the usual way. */
function ipv6(hex: string): string {
  const groups: string[] = [];
  for (let word = 0; word < 4; word++) {
    const bytes = hex
      .slice(word * 8, word * 8 + 8)
      .match(/../g)!
      .reverse()
      .join('');
    groups.push(bytes.slice(0, 4), bytes.slice(4, 8));
  }
  const text = groups.map((group) => parseInt(group, 16).toString(16)).join(':');
  if (text === '0:0:0:0:0:0:0:0') return '::';
  if (text === '0:0:0:0:0:0:0:1') return '::1';
  if (text.startsWith('0:0:0:0:0:ffff:')) return `::ffff:${ipv4(hex.slice(24))}`;
  return text;
}

/**
 * The TCP sockets process `pid` listens on: its open socket descriptors (/proc/<pid>/fd) matched by inode against
 * the kernel's tables of TCP sockets (/proc/net/tcp and tcp6) in the LISTEN state.
 */
export function listeningTcpSockets(pid: number): ListeningSocket[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // A descriptor closed while the folder was read.
    }
  }
  const sockets: ListeningSocket[] = [];
  for (const [table, decode] of [
    ['tcp', ipv4],
    ['tcp6', ipv6],
  ] as const) {
    const lines = readFileSync(`/proc/${pid}/net/${table}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      const [address, port] = fields[1].split(':');
      if (fields[3] === LISTEN && inodes.has(fields[9])) sockets.push({ address: decode(address), port: parseInt(port, 16) });
    }
  }
  return sockets;
}
