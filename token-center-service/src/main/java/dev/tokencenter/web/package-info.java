/**
 * RFC 9457 problem details and input validation shared by every API.
 */
package dev.tokencenter.web;
