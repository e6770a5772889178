/**
 * The socket half of the server: binds `ExecServer` to a WebSocket listener on the Net port.
 * One JSON message per text frame out; text or binary frames in. Everything else lives in
 * execServer.ts, which knows nothing of sockets.
 */
import type { Net, Server } from '../../../sim/ports/index.ts';
import type { ExecServer } from './execServer.ts';

export function listenExecServer(net: Net, port: number, server: ExecServer): Promise<Server> {
  return net.listen(port, {
    connection: (socket) => {
      const conn = server.connect((frame) => {
        socket.send(frame);
      });
      socket.on('message', (data) => conn.receive(data));
      socket.on('close', () => conn.closed());
    },
  });
}
