// The upstream of the proxy benchmark: the kind of Node `ws` mock a frontend
// team writes. It answers every request with one fixed station and the
// request's own action and requestId, and logs nothing.
//   node upstream.js PORT    (0 = any free port; prints "listening on PORT")
'use strict';
const { WebSocketServer } = require('ws');

const station = {
  id: 'station_042', name: 'ЭЗС EcoStation №42', city: 'Москва', status: 'active',
  currentPower: 22.5, maxPower: 50, totalEnergy: 123456.7, totalSessions: 4321,
  errorCount: 2, lastUpdate: '2024-01-20T10:30:00.000Z',
};

const server = new WebSocketServer({ host: '127.0.0.1', port: Number(process.argv[2] || 0), path: '/ws' });
server.on('listening', () => console.log(`listening on ${server.address().port}`));
server.on('connection', (socket) => {
  socket.on('message', (data) => {
    let request;
    try {
      request = JSON.parse(data);
    } catch {
      socket.send('{"type":"error","error":{"code":"INVALID_JSON","message":"not JSON"}}');
      return;
    }
    socket.send(JSON.stringify({
      type: 'response', action: request.action, data: { station }, requestId: request.requestId,
    }));
  });
});
