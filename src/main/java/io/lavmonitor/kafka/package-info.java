/**
 * Kafka plumbing: the one factory of every client ({@link io.lavmonitor.kafka.KafkaClients}),
 * the in-process KRaft broker, reading committed topics, and the trainer's archive spool.
 */
package io.lavmonitor.kafka;
