package dev.timon.apimachinery;

/** One entry of a Status's details.causes: what is wrong with which field. */
public record StatusCause(String reason, String message, String field) {
}
