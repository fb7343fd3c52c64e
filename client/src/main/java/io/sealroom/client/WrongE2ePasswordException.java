package io.sealroom.client;

/** The E2E password does not open the private key stored on the server. */
public final class WrongE2ePasswordException extends SealroomException {
  public WrongE2ePasswordException() {
    super(0, "wrong_e2e_password", "the E2E password does not unlock the stored private key", null);
  }
}
