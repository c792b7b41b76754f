/** The {@code lav} command line: one picocli command per file, each with {@code --help}. */
package io.lavmonitor.cli;
