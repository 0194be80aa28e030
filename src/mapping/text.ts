/** Label text hygiene shared by every mapping: the exposition must stay valid whatever LibreNMS holds. */

const MAX_LABEL_CHARS = 256;
// C0 controls except \n (escaped by the writer), DEL, and lone UTF-16 surrogates (not encodable as UTF-8).
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Makes a LibreNMS string safe as a label value: control characters dropped, broken UTF-16 replaced
 * by U+FFFD, at most 256 characters (an ifAlias is varchar(255) in LibreNMS). Unknown gives ''.
 */
export function labelText(value: string | undefined): string {
  if (value === undefined) return '';
  let text = value.replace(UNSAFE, (match) => (match.length === 1 && match.charCodeAt(0) >= 0xd800 ? '\ufffd' : ''));
  if (text.length > MAX_LABEL_CHARS) {
    text = text.slice(0, MAX_LABEL_CHARS);
    if (/[\ud800-\udbff]$/.test(text)) text = text.slice(0, -1);
  }
  return text;
}
