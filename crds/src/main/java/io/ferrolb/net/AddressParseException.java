package io.ferrolb.net;

/** A text that is not an IP address or prefix; the message quotes the text. */
public class AddressParseException extends IllegalArgumentException {

    public AddressParseException(String message) {
        super(message);
    }
}
