// Turns a stored or live event stream into the text a user saw: OpenAI chat deltas, Anthropic text deltas, Gemini
// candidates, Workers AI "response" chunks. Unknown events are skipped; the raw stream stays one click away.
export function streamText(raw) {
  let text = '';
  for (const data of events(raw)) text += deltaOf(data);
  return text;
}

/** The data: payloads of an event stream, in order (a multi-line data field is joined with \n, as the spec says). */
export function* events(raw) {
  for (const block of raw.split(/\r?\n\r?\n/)) {
    const data = block.split(/\r?\n/).filter(l => l.startsWith('data:')).map(l => l.slice(5).replace(/^ /, '')).join('\n');
    if (data && data !== '[DONE]') yield data;
  }
}

export function deltaOf(data) {
  let json;
  try { json = JSON.parse(data); } catch { return ''; }
  return json?.choices?.[0]?.delta?.content
    ?? json?.delta?.text
    ?? json?.candidates?.[0]?.content?.parts?.map(p => p.text ?? '').join('')
    ?? (typeof json?.response === 'string' ? json.response : '')
    ?? '';
}
