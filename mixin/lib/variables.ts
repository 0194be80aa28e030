/**
 * The template variables the dashboards share: data source, job, target, LibreNMS, device, rate window.
 * One definition each, so a change reaches every dashboard.
 */

export const DATASOURCE_VARIABLE = {
  type: 'datasource',
  name: 'datasource',
  label: 'Data source',
  query: 'prometheus',
  current: {},
  hide: 0,
  includeAll: false,
  multi: false,
  options: [],
  refresh: 1,
  regex: '',
  skipUrlSync: false,
};

export const JOB_VARIABLE = {
  type: 'query',
  name: 'job',
  label: 'Job',
  description:
    'Prometheus jobs scraping the exporter (/metrics, /metrics?group=, /probe). All by default: every series is shown once even when several jobs hold it.',
  datasource: {
    type: 'prometheus',
    uid: '${datasource}',
  },
  definition: 'label_values(librenms_up, job)',
  query: {
    qryType: 1,
    query: 'label_values(librenms_up, job)',
    refId: 'PrometheusVariableQueryEditor-VariableQuery',
  },
  regex: '',
  refresh: 2,
  sort: 1,
  current: {
    selected: true,
    text: ['All'],
    value: ['$__all'],
  },
  options: [],
  hide: 0,
  includeAll: true,
  allValue: '.*',
  multi: true,
  skipUrlSync: false,
};

export const INSTANCE_VARIABLE = {
  type: 'query',
  name: 'instance',
  label: 'Target',
  description: "Scrape targets of the chosen jobs: the exporter's address, or the device for /probe jobs. All by default.",
  datasource: {
    type: 'prometheus',
    uid: '${datasource}',
  },
  definition: 'label_values(librenms_up{job=~"$job"}, instance)',
  query: {
    qryType: 1,
    query: 'label_values(librenms_up{job=~"$job"}, instance)',
    refId: 'PrometheusVariableQueryEditor-VariableQuery',
  },
  regex: '',
  refresh: 2,
  sort: 1,
  current: {
    selected: true,
    text: ['All'],
    value: ['$__all'],
  },
  options: [],
  hide: 0,
  includeAll: true,
  allValue: '.*',
  multi: true,
  skipUrlSync: false,
};

export const LIBRENMS_INSTANCE_VARIABLE = {
  type: 'query',
  name: 'librenms_instance',
  label: 'LibreNMS',
  description: 'LibreNMS instance (label librenms_instance, set when the exporter reads several LibreNMS). With one LibreNMS the list holds only All.',
  datasource: {
    type: 'prometheus',
    uid: '${datasource}',
  },
  definition: 'label_values(librenms_up{job=~"$job", instance=~"$instance"}, librenms_instance)',
  query: {
    qryType: 1,
    query: 'label_values(librenms_up{job=~"$job", instance=~"$instance"}, librenms_instance)',
    refId: 'PrometheusVariableQueryEditor-VariableQuery',
  },
  regex: '',
  refresh: 2,
  sort: 1,
  current: {
    selected: true,
    text: ['All'],
    value: ['$__all'],
  },
  options: [],
  hide: 0,
  includeAll: true,
  allValue: '.*',
  multi: true,
  skipUrlSync: false,
};

export const DEVICE_VARIABLE = {
  type: 'query',
  name: 'hostname',
  label: 'Device',
  description: 'LibreNMS device, listed as "display name / hostname": type part of either (or of the IP address) to find it; passes the hostname.',
  datasource: {
    type: 'prometheus',
    uid: '${datasource}',
  },
  definition:
    'query_result(max by (device, hostname) (label_join(librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}, "device", " / ", "display", "hostname")))',
  query: {
    qryType: 3,
    query:
      'query_result(max by (device, hostname) (label_join(librenms_device_info{job=~"$job", instance=~"$instance", librenms_instance=~"$librenms_instance"}, "device", " / ", "display", "hostname")))',
    refId: 'PrometheusVariableQueryEditor-VariableQuery',
  },
  regex: '/device="(?<text>[^"]*)".*hostname="(?<value>[^"]*)"/',
  refresh: 2,
  sort: 5,
  current: {},
  options: [],
  hide: 0,
  includeAll: false,
  multi: false,
  skipUrlSync: false,
};

export const RATE_WINDOW_VARIABLE = {
  type: 'custom',
  name: 'rate_window',
  label: 'Rate window',
  description:
    'Window for rate(). LibreNMS polls every 5 minutes, so counters step once per poll; rates are the increase of the counter divided by the change of the poll timestamp, which gives the exact average over the polls in the window. Keep it at 10m (two polls) or more: a shorter window may hold no poll and leave gaps.',
  query: '10m,15m,30m,1h',
  current: {
    selected: true,
    text: '10m',
    value: '10m',
  },
  options: [
    {
      selected: true,
      text: '10m',
      value: '10m',
    },
    {
      selected: false,
      text: '15m',
      value: '15m',
    },
    {
      selected: false,
      text: '30m',
      value: '30m',
    },
    {
      selected: false,
      text: '1h',
      value: '1h',
    },
  ],
  hide: 0,
  includeAll: false,
  multi: false,
  skipUrlSync: false,
};
