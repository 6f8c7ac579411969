package org.vae4j.cli.serve;

/**
 * A request the API refuses: its HTTP status, the field that was wrong (a JSON path such as
 * {@code inputs[2][5]}, or null) and what was expected there.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String field;
    private final String expected;

    ApiException(int status, String field, String message, String expected) {
        super(message);
        this.status = status;
        this.field = field;
        this.expected = expected;
    }

    static ApiException badField(String field, String message, String expected) {
        return new ApiException(400, field, message, expected);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    public String expected() {
        return expected;
    }
}
