package io.lavmonitor.model;

import io.lavmonitor.io.InvalidInputException;

/** A model that is missing, corrupt or does not match its card: the message says which. */
public final class ModelException extends InvalidInputException {
  public ModelException(String message) {
    super(message);
  }
}
