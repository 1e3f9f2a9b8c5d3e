/**
 * The audit log: who changed what, when, and with which outcome; written in the transaction of the change it records.
 */
package dev.tokencenter.audit;
