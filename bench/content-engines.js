// The real filters beside presend in bench:content: rspamd (HTTP /checkv2) and SpamAssassin
// (spamd), when they answer on loopback. Filled in with the engines' own clients (src/content/).
export async function peerEngines() {
  return [];
}
