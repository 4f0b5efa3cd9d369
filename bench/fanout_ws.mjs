// The transport floor on Node: the relay of bench/fanout_app.py on `ws`, the WebSocket library
// the ShareDB reference server uses. Every text frame is sent on to every connection, the
// sender included.
//
// Usage: PORT=9000 node bench/fanout_ws.mjs (prints "ready" when listening)

import { createRequire } from 'node:module';
import http from 'node:http';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');

const server = http.createServer();
const wss = new WebSocket.Server({ server, path: '/ws/relay/' });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? data : data.toString();
    for (const peer of wss.clients) {
      if (peer.readyState === WebSocket.OPEN) peer.send(text);
    }
  });
});
server.listen(Number(process.env.PORT || 9000), '127.0.0.1', () => console.log('ready'));
