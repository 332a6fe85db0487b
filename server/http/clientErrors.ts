// Requests Node refuses before Koa sees them (a request line or headers over its limit, a
// malformed request) still get the API's {error, message} answer instead of a bare status.
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

function answer(socket: Duplex, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ error: 'invalid_request', message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A connection that is already answering (or gone) has nobody left to tell.
    if (err.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) return socket.destroy();
    if (err.code === 'HPE_HEADER_OVERFLOW') return answer(socket, 431, 'Request Header Fields Too Large', 'The address or the headers are too long.');
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return answer(socket, 408, 'Request Timeout', 'The request took too long to arrive.');
    return answer(socket, 400, 'Bad Request', 'The request is not well-formed HTTP.');
  });
}
