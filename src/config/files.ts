/**
 * The YAML files the environment can name: `WEB_CONFIG_FILE` (exporter-toolkit's web config) and
 * `LIBRENMS_INSTANCES_FILE`. Both are parsed strictly, as exporter-toolkit does: a key we do not know,
 * a value of the wrong type, or a document that is not a mapping is a configuration error naming the
 * file and the key. A misspelt `basic_auth_users` must never leave the endpoints silently open.
 */
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ClientAuthType, FileReader, InstanceConfig, TlsServerConfig, WebConfig } from '../config-types.js';

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reports every key of `mapping` not in `known` (with the closest known key, when one is close). */
function rejectUnknownKeys(mapping: Mapping, known: readonly string[], where: string, problems: string[]): void {
  for (const key of Object.keys(mapping)) {
    if (known.includes(key)) continue;
    const close = known.find((k) => k.startsWith(key) || key.startsWith(k));
    problems.push(`${where}: unknown key "${key}"${close === undefined ? '' : ` (did you mean "${close}"?)`}; known keys: ${known.join(', ')}`);
  }
}

/** Reads and parses a YAML file whose top level must be a mapping. */
function readMapping(path: string, label: string, readFile: FileReader, problems: string[]): Mapping | undefined {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    problems.push(`${label} "${path}": cannot read it (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    return undefined;
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    problems.push(`${label} "${path}": not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
    return undefined;
  }
  if (document === null || document === undefined) return {};
  if (!isMapping(document)) {
    problems.push(`${label} "${path}": the file must be a YAML mapping (key: value), not ${Array.isArray(document) ? 'a list' : `a ${typeof document}`}`);
    return undefined;
  }
  return document;
}

/** Reads a file named inside a config file, relative to that file. */
function fileReader(base: string, where: string, readFile: FileReader, problems: string[]) {
  return (key: string, value: unknown): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`${where}: ${key} must be a file path`);
      return undefined;
    }
    try {
      return readFile(resolve(base, value));
    } catch (error) {
      problems.push(`${where}: cannot read ${key} "${value}" (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      return undefined;
    }
  };
}

function readBoolean(mapping: Mapping, key: string, where: string, problems: string[]): boolean | undefined {
  const value = mapping[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    problems.push(`${where}: ${key} must be true or false (unquoted), got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value;
}

/**
 * A LibreNMS API token goes verbatim into the `X-Auth-Token` header: printable ASCII only (LibreNMS
 * makes 32 hex digits). White space, a control character or a character past ASCII would make every
 * request fail in a way that looks like a network problem, so it is refused here, naming where the
 * token came from (never the token).
 */
export function checkApiToken(token: string, source: string, problems: string[]): void {
  if (!/^[\x21-\x7e]+$/.test(token)) {
    problems.push(
      `the API token from ${source} contains white space, a control character or a character outside ASCII; copy the token again (LibreNMS makes 32 hex digits)`,
    );
  }
}

/**
 * What `Authorization: Bearer` can carry (RFC 6750 b64token, as `parseAuthorization` in
 * http/auth.ts reads it): a token with a space or a `:` in its file could never match.
 */
const BEARER_TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;

const WEB_KEYS = ['tls_server_config', 'http_server_config', 'basic_auth_users', 'bearer_token_file'] as const;
const TLS_KEYS = ['cert_file', 'key_file', 'client_auth_type', 'client_ca_file', 'min_version', 'max_version'] as const;
const HTTP_SERVER_KEYS = ['http2'] as const;
const CLIENT_AUTH_TYPES: readonly ClientAuthType[] = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
];
const TLS_VERSIONS: Readonly<Record<string, 'TLSv1.2' | 'TLSv1.3'>> = { TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };
const BCRYPT_HASH = /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/;

/**
 * The exporter-toolkit web config: `tls_server_config` (cert_file, key_file, client_auth_type,
 * client_ca_file, min_version, max_version), `basic_auth_users` (user: bcrypt hash), plus our
 * `bearer_token_file`. Relative paths are read relative to the file. exporter-toolkit keys we do not
 * implement (cipher suites, custom headers) are refused rather than ignored.
 */
export function parseWebConfig(path: string | undefined, readFile: FileReader, problems: string[]): WebConfig {
  const none: WebConfig = { tls: undefined, basicAuthUsers: new Map(), bearerToken: undefined };
  if (path === undefined) return none;
  const document = readMapping(path, 'WEB_CONFIG_FILE', readFile, problems);
  if (document === undefined) return none;
  const where = `WEB_CONFIG_FILE "${path}"`;
  rejectUnknownKeys(document, WEB_KEYS, where, problems);
  const read = fileReader(dirname(path), where, readFile, problems);

  let tls: TlsServerConfig | undefined;
  const tlsConfig = document['tls_server_config'];
  if (tlsConfig !== undefined && tlsConfig !== null) {
    const tlsWhere = `${where} tls_server_config`;
    if (!isMapping(tlsConfig)) problems.push(`${tlsWhere}: must be a mapping`);
    else {
      rejectUnknownKeys(tlsConfig, TLS_KEYS, tlsWhere, problems);
      const cert = read('tls_server_config.cert_file', tlsConfig['cert_file']);
      const key = read('tls_server_config.key_file', tlsConfig['key_file']);
      if (tlsConfig['cert_file'] === undefined || tlsConfig['key_file'] === undefined) problems.push(`${tlsWhere}: cert_file and key_file are both required`);
      const authRaw = tlsConfig['client_auth_type'] ?? 'NoClientCert';
      const clientAuthType = CLIENT_AUTH_TYPES.find((t) => t === authRaw);
      if (clientAuthType === undefined)
        problems.push(`${tlsWhere}: client_auth_type must be one of ${CLIENT_AUTH_TYPES.join(', ')}, got ${JSON.stringify(authRaw)}`);
      const clientCa = read('tls_server_config.client_ca_file', tlsConfig['client_ca_file']);
      if ((clientAuthType === 'VerifyClientCertIfGiven' || clientAuthType === 'RequireAndVerifyClientCert') && tlsConfig['client_ca_file'] === undefined) {
        problems.push(`${tlsWhere}: client_auth_type ${clientAuthType} needs client_ca_file`);
      }
      const version = (name: 'min_version' | 'max_version'): 'TLSv1.2' | 'TLSv1.3' | undefined => {
        const raw = tlsConfig[name];
        if (raw === undefined || raw === null) return undefined;
        const found = typeof raw === 'string' ? TLS_VERSIONS[raw] : undefined;
        if (found === undefined) problems.push(`${tlsWhere}: ${name} must be TLS12 or TLS13, got ${JSON.stringify(raw)}`);
        return found;
      };
      const minVersion = version('min_version');
      const maxVersion = version('max_version');
      if (cert !== undefined && key !== undefined && clientAuthType !== undefined) tls = { cert, key, clientAuthType, clientCa, minVersion, maxVersion };
    }
  }

  const httpConfig = document['http_server_config'];
  if (httpConfig !== undefined && httpConfig !== null) {
    if (!isMapping(httpConfig)) problems.push(`${where} http_server_config: must be a mapping`);
    else {
      rejectUnknownKeys(httpConfig, HTTP_SERVER_KEYS, `${where} http_server_config`, problems);
      // HTTP/2 is what exporter-toolkit enables by default; this exporter serves HTTP/1.1, which every Prometheus speaks.
      if (readBoolean(httpConfig, 'http2', `${where} http_server_config`, problems) === true) {
        problems.push(`${where} http_server_config: http2: true is not supported; remove it (Prometheus scrapes over HTTP/1.1)`);
      }
    }
  }

  const basicAuthUsers = new Map<string, string>();
  const users = document['basic_auth_users'];
  if (users !== undefined && users !== null) {
    if (!isMapping(users)) problems.push(`${where}: basic_auth_users must map user names to bcrypt hashes`);
    else {
      for (const [user, hash] of Object.entries(users)) {
        if (typeof hash !== 'string' || !BCRYPT_HASH.test(hash)) {
          problems.push(`${where}: the password of "${user}" must be a bcrypt hash (htpasswd -nBC 10 "" | tr -d ':\\n')`);
        } else basicAuthUsers.set(user, hash);
      }
    }
  }
  const bearerToken = read('bearer_token_file', document['bearer_token_file'])?.trim();
  if (bearerToken === '') problems.push(`${where}: the bearer token file is empty`);
  else if (bearerToken !== undefined && !BEARER_TOKEN.test(bearerToken)) {
    problems.push(
      `${where}: the token in bearer_token_file can never match: a bearer token is letters, digits and - . _ ~ + / (optionally = at the end), without spaces, colons or line breaks`,
    );
  }
  return { tls, basicAuthUsers, bearerToken: bearerToken === '' ? undefined : bearerToken };
}

const INSTANCES_KEYS = ['instances'] as const;
const INSTANCE_KEYS = ['name', 'url', 'token_file', 'ca_file', 'tls_insecure'] as const;

/**
 * Several LibreNMS instances, from a YAML file:
 * `instances: [{ name: eu, url: https://nms-eu, token_file: /run/secrets/eu, ca_file?: …, tls_insecure?: false }]`.
 * Relative paths are read relative to the file.
 * @param parseUrl checks and normalises a LibreNMS URL (the same rules as LIBRENMS_URL)
 */
export function parseInstancesFile(
  path: string,
  readFile: FileReader,
  problems: string[],
  parseUrl: (raw: string | undefined, problems: string[], name: string) => URL | undefined,
): InstanceConfig[] {
  const document = readMapping(path, 'LIBRENMS_INSTANCES_FILE', readFile, problems);
  if (document === undefined) return [];
  const fileWhere = `LIBRENMS_INSTANCES_FILE "${path}"`;
  rejectUnknownKeys(document, INSTANCES_KEYS, fileWhere, problems);
  const entries = document['instances'];
  if (!Array.isArray(entries) || entries.length === 0) {
    problems.push(`${fileWhere} must have a non-empty "instances" list`);
    return [];
  }
  const read = fileReader(dirname(path), fileWhere, readFile, problems);
  const names = new Set<string>();
  const instances: InstanceConfig[] = [];
  entries.forEach((entry: unknown, index) => {
    const where = `LIBRENMS_INSTANCES_FILE instance ${index + 1}`;
    if (!isMapping(entry)) {
      problems.push(`${where}: must be a mapping with name, url and token_file`);
      return;
    }
    if (entry['token'] !== undefined) problems.push(`${where}: put the token in a file and name it with token_file, not token`);
    rejectUnknownKeys(Object.fromEntries(Object.entries(entry).filter(([key]) => key !== 'token')), INSTANCE_KEYS, where, problems);
    const name = typeof entry['name'] === 'string' ? entry['name'].trim() : '';
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) problems.push(`${where}: "name" must be letters, digits, _ . or -`);
    else if (names.has(name)) problems.push(`${where}: name "${name}" is used twice`);
    names.add(name);
    const rawUrl = entry['url'];
    if (rawUrl !== undefined && typeof rawUrl !== 'string') problems.push(`${where}: url must be a string`);
    const url = parseUrl(typeof rawUrl === 'string' ? rawUrl : undefined, problems, `${where} url`);
    const token = read('token_file', entry['token_file'])?.trim();
    if (token === undefined || token === '') problems.push(`${where}: token_file is required and must not be empty`);
    else checkApiToken(token, `${where} token_file`, problems);
    const caCertificate = read('ca_file', entry['ca_file']);
    const tlsInsecure = readBoolean(entry, 'tls_insecure', where, problems) ?? false;
    if (url !== undefined && token !== undefined && token !== '') instances.push({ name, url, token, caCertificate, tlsInsecure, tokenSource: 'token_file' });
  });
  return instances;
}
