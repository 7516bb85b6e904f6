/**
 * The benchmark workload of ../shared/bench (mx_plain.mjs) as an mxsim
 * scenario: n messages arriving as a Poisson process over 14 days, the
 * primary down 26–30 h, 72–84 h and 120–300 h, a qmail secondary, qmail's
 * 7-day lifetime. The run lasts 15 days so the queue drains, as the reference
 * runs until its event list is empty.
 */
export function benchScenario(n: number, seed = 42): string {
  return `name: bench-${n}
seed: ${seed}
duration: 15d
dns:
  example.com:
    mx:
      - { preference: 10, host: primary.example.com }
      - { preference: 20, host: secondary.example.com }
servers:
  primary.example.com:
    role: mailbox
    domains: [example.com]
    outages:
      - { start: 26h, end: 30h }
      - { start: 72h, end: 84h }
      - { start: 120h, end: 300h }
  secondary.example.com:
    role: relay
    relay_domains: [example.com]
    routes: { example.com: primary.example.com }
senders:
  sender.example:
    to: example.com
    rate: ${n / 14}/d
    until: 14d
`;
}
