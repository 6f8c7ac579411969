package org.vae4j.tensor;

/** Whether a backend can run on this machine, and if not, why not. */
public record Availability(boolean available, String reason) {

    public static Availability yes() {
        return new Availability(true, "available");
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }

    /** "available" or "unavailable: reason". */
    @Override
    public String toString() {
        return available ? "available" : "unavailable: " + reason;
    }
}
