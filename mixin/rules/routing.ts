/** Routing (the bgp and ospf collectors): BGP sessions that are not established, OSPF neighbours that left full. */
import { duration } from '../config.js';
import { alert, DEVICE, DEVICE_ANNOTATIONS, DEVICE_ID, DISPLAY_LOOKUP, deviceSkips, forText, humanSeconds, type RuleGroupsOf } from '../lib/rules.js';

/** The labels of one BGP session and one OSPF neighbour in one scrape, and as alert identity. */
const PEER = `${DEVICE}, peer_address, remote_as, vrf`;
const PEER_ID = `${DEVICE_ID}, peer_address, remote_as, vrf`;
const NEIGHBOR = `${DEVICE}, neighbor_address, neighbor_router_id, vrf`;
const NEIGHBOR_ID = `${DEVICE_ID}, neighbor_address, neighbor_router_id, vrf`;
/** OSPF-MIB ospfNbrState full. */
const OSPF_FULL = 8;
const NOT_FULL_AFTER_FULL = 'neighbor:librenms_ospf_neighbor_state:not_full_after_full';

/** The BGP FSM state name of the alert's session ($state), from librenms_bgp_peer_fsm_state. */
const BGP_STATE_LOOKUP =
  '{{ $state := "unknown" }}{{ with query (printf "max by (state) (librenms_bgp_peer_fsm_state{hostname=%q, librenms_instance=%q, peer_address=%q, remote_as=%q, vrf=%q} == 1)" $labels.hostname $labels.librenms_instance $labels.peer_address $labels.remote_as $labels.vrf) }}{{ $state = (. | first | label "state") }}{{ end }}';
/** The session's description in LibreNMS ($descr, "" when none), from librenms_bgp_peer_info. */
const BGP_DESCR_LOOKUP =
  '{{ $descr := "" }}{{ with query (printf "max by (description) (librenms_bgp_peer_info{hostname=%q, librenms_instance=%q, peer_address=%q, remote_as=%q, vrf=%q})" $labels.hostname $labels.librenms_instance $labels.peer_address $labels.remote_as $labels.vrf) }}{{ $descr = (. | first | label "description") }}{{ end }}';
const PEER_TEXT = '{{ $labels.peer_address }} (AS{{ $labels.remote_as }}{{ with $labels.vrf }}, VRF {{ . }}{{ end }}{{ if $descr }}, {{ $descr }}{{ end }})';
const OSPF_STATES = ['down', 'attempt', 'init', 'twoWay', 'exchangeStart', 'exchange', 'loading', 'full'];
/** The OSPF-MIB state name of the alert's value. */
const OSPF_STATE_TEXT = `${OSPF_STATES.map((name, i) => `{{ ${i === 0 ? 'if' : 'else if'} eq $value ${i + 1}.0 }}${name}`).join('')}{{ else }}{{ $value }}{{ end }}`;

export const recording: RuleGroupsOf = (c) => {
  // As the port-down memory: "was full" is seen at least one poll (and three evaluations) back, so the
  // evaluation that first sees the neighbour out of full still sees it full in the window.
  const window = Math.max(c.pollIntervalSeconds, 3 * c.evaluationIntervalSeconds);
  return [
    {
      name: 'librenms-routing-recording',
      comment: 'OSPF neighbour state memory, for LibreNMSOspfNeighborDown.',
      rules: [
        {
          comment: [
            `An OSPF neighbour that is not full now (ospfNbrState != ${OSPF_FULL}) and was full within the last`,
            `${humanSeconds(window)}, or was recorded here before: its state from the first evaluation that sees it leave`,
            'full, for as long as it stays out of full (the rule reads its own last hour, a few series, so the',
            'memory survives a Prometheus restart of up to an hour). A neighbour LibreNMS no longer lists has',
            'no series and is never recorded (LibreNMS deletes neighbours the device stops listing); one',
            'that was never full (a DROther pair stays in twoWay by design) is never recorded either.',
          ].join('\n'),
          record: NOT_FULL_AFTER_FULL,
          expr: [
            `(librenms_ospf_neighbor_state != ${OSPF_FULL})`,
            `and on(${NEIGHBOR})`,
            '(',
            `    (max_over_time(librenms_ospf_neighbor_state[${duration(window)}]) == ${OSPF_FULL})`,
            '  or',
            `    last_over_time(${NOT_FULL_AFTER_FULL}[1h])`,
            ')',
          ].join('\n'),
        },
      ],
    },
  ];
};

export const alerts: RuleGroupsOf = (c) => {
  const perSession = (condition: string, by: string, collector: string) =>
    [`max by (${by}) (`, `  ${condition}`, ...deviceSkips(collector).map((u) => `  ${u}`), ')'].join('\n');
  return [
    {
      name: 'librenms-routing',
      rules: [
        alert(c, {
          alert: 'LibreNMSBgpSessionDown',
          comment: [
            'A BGP session that is administratively enabled (bgpPeerAdminStatus start/running: 2) and not',
            "established (bgpPeerState != 6), as of LibreNMS's polls. Sessions an operator shut (stop, halted)",
            'or whose admin status LibreNMS does not know are left out, as are sessions of a down device',
            '(LibreNMSDeviceDown) and of a muted one. The value is the BGP4-MIB state.',
          ].join('\n'),
          expr: perSession(`(librenms_bgp_peer_state != 6)\n  and on(${PEER}) (librenms_bgp_peer_admin_status == 2)`, PEER_ID, 'bgp'),
          severity: 'critical',
          summary: `${DISPLAY_LOOKUP}${BGP_DESCR_LOOKUP}BGP session to ${PEER_TEXT} on {{ $display }} is down`,
          description:
            `${DISPLAY_LOOKUP}${BGP_DESCR_LOOKUP}${BGP_STATE_LOOKUP}The BGP session of {{ $display }} ({{ $labels.hostname }}) to ${PEER_TEXT} is administratively enabled ` +
            `but has not been established for ${forText(c, 'LibreNMSBgpSessionDown')}; LibreNMS's last poll saw it in state {{ $state }}.`,
          annotations: DEVICE_ANNOTATIONS,
        }),
        alert(c, {
          alert: 'LibreNMSOspfNeighborDown',
          comment: [
            'An OSPF neighbour that was full and is not',
            `(${NOT_FULL_AFTER_FULL}): fires for as long as it stays out of full. A neighbour`,
            'that disappears from LibreNMS, a failing ospf collector (its last good data is frozen) and a',
            'down or muted device do not fire. The value is the OSPF-MIB state.',
          ].join('\n'),
          expr: perSession(NOT_FULL_AFTER_FULL, NEIGHBOR_ID, 'ospf'),
          severity: 'warning',
          summary: `${DISPLAY_LOOKUP}OSPF neighbour {{ $labels.neighbor_router_id }} ({{ $labels.neighbor_address }}) of {{ $display }} is no longer full`,
          description:
            `${DISPLAY_LOOKUP}The OSPF neighbour {{ $labels.neighbor_router_id }} at {{ $labels.neighbor_address }}{{ with $labels.vrf }} (VRF {{ . }}){{ end }} of {{ $display }} ({{ $labels.hostname }}) ` +
            `was full and has been in state ${OSPF_STATE_TEXT} for ${forText(c, 'LibreNMSOspfNeighborDown')}: routes through it are withdrawn.`,
          annotations: DEVICE_ANNOTATIONS,
        }),
      ],
    },
  ];
};
