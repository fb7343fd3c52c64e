package io.sealroom.client.crypto;

import java.security.GeneralSecurityException;

/**
 * The wrapped private key did not open: the E2E password is wrong (or the stored ciphertext was
 * altered, which AES-GCM cannot tell apart from a wrong password).
 */
public class WrongPasswordException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public WrongPasswordException() {
    super("wrong E2E password (or the wrapped private key was altered)");
  }
}
