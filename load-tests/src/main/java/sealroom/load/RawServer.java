package sealroom.load;

/** The raw Vert.x fan-out server (not done yet). */
final class RawServer {
  private RawServer() { }

  static void main(Opts o) { throw new UnsupportedOperationException("raw-server is not implemented yet"); }
}
