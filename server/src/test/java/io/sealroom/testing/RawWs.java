package io.sealroom.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * A bare WebSocket client on a plain socket, for tests that need what ordinary clients hide:
 * a reader that stops reading (slow consumer), oversize frames, exact close codes.
 */
public final class RawWs implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  /** A received frame: opcode (1 text, 8 close, ...) and payload. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame, or -1. */
    public int closeCode() {
      return opcode == 8 && payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }
  }

  /** Connects; receiveBuffer > 0 sets a small socket receive buffer before connecting. */
  public RawWs(int port, int receiveBuffer, String origin) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(20_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    String req = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
        + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
    out.write(req.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String status = readHeaders();
    if (!status.contains(" 101 ")) {
      throw new IOException("upgrade refused: " + status);
    }
  }

  private String readHeaders() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("closed during handshake");
      }
      buf.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
    String all = buf.toString(StandardCharsets.US_ASCII);
    return all.substring(0, all.indexOf("\r\n"));
  }

  public void sendText(String text) throws IOException {
    sendFrame(1, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one masked frame with the given opcode. */
  public synchronized void sendFrame(int opcode, byte[] payload) throws IOException {
    out.write(frame(opcode, payload));
    out.flush();
  }

  /** Sends count copies of one frame (each masked anew) in large writes: a flood. */
  public synchronized void sendFrames(int opcode, byte[] payload, int count) throws IOException {
    ByteArrayOutputStream batch = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      batch.write(frame(opcode, payload));
      if (batch.size() > 256 * 1024 || i == count - 1) {
        out.write(batch.toByteArray());
        batch.reset();
      }
    }
    out.flush();
  }

  /** Sends a close frame with the code (0..65535) and no reason. */
  public void sendClose(int code) throws IOException {
    sendFrame(8, new byte[] {(byte) (code >>> 8), (byte) code});
  }

  /** Sends text frames in one write, so that they reach the server together (a pipelining client). */
  public synchronized void sendTexts(List<String> texts) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (String t : texts) {
      all.write(frame(1, t.getBytes(StandardCharsets.UTF_8)));
    }
    out.write(all.toByteArray());
    out.flush();
  }

  private static byte[] frame(int opcode, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write(0x80 | opcode);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      f.write(0x80 | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) ((long) payload.length >>> (8 * i)));
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    f.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    return f.toByteArray();
  }

  /** Reads the next frame (blocking up to the socket timeout). */
  public Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame(b0 & 0x0f, payload);
  }

  /** Reads frames until a close frame; its code, or -1 when the stream ends without one. */
  public int readUntilClose() throws IOException {
    try {
      while (true) {
        Frame f = read();
        if (f.opcode() == 8) {
          return f.closeCode();
        }
      }
    } catch (EOFException e) {
      return -1;
    }
  }

  public InputStream input() {
    return in;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
