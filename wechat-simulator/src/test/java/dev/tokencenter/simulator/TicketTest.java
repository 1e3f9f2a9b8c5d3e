package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JS-SDK tickets: official accounts' getticket and WeCom's corp and app tickets. */
class TicketTest extends SimulatorTestBase {

    private static final String CORPSECRET_2 = "corp-secret-app-2";

    @BeforeEach
    void registerCorp() {
        sim.registerApp(CORPID, CORPSECRET, Platform.WECOM);
        sim.registerApp(CORPID, CORPSECRET_2, Platform.WECOM);
        // keep the hour-window tests away from the edge of a clock hour
        sim.clock().advance(Duration.ofSeconds(3600 - sim.clock().now().getEpochSecond() % 3600 + 1));
    }

    private SimClient.Reply corpTicket(String token) {
        return client.get(TicketEndpoints.WECOM_CORP_TICKET, "access_token", token);
    }

    private SimClient.Reply agentTicket(String token) {
        return client.get(TicketEndpoints.WECOM_AGENT_TICKET, "access_token", token, "type", "agent_config");
    }

    private String wecomToken(String secret) {
        return client.wecomToken(CORPID, secret).string("access_token");
    }

    @Test
    void officialAccountTicketHasWechatsShapeAndIsCounted() {
        restartWith(settings().withTicketLifetime(Duration.ofSeconds(7200)));
        String token = stableToken(APPID, SECRET);
        SimClient.Reply reply = client.ticket(token);
        assertThat(reply.json()).containsOnlyKeys("errcode", "errmsg", "ticket", "expires_in");
        assertThat(reply.errcode()).isZero();
        assertThat(reply.string("errmsg")).isEqualTo("ok");
        assertThat(reply.number("expires_in")).isEqualTo(7200);
        assertThat(reply.string("ticket")).matches("[A-Za-z0-9_-]{86}");
        client.get(TicketEndpoints.WECHAT_TICKET, "access_token", token, "type", "wx_card");
        assertThat(sim.callCount(APPID, TicketEndpoints.WECHAT_TICKET)).isEqualTo(2);
    }

    @Test
    void ticketValidityFollowsTheSimulatorClock() {
        String token = stableToken(APPID, SECRET);
        String ticket = client.ticket(token).string("ticket");
        TicketValidity validity = sim.ticketValidity(ticket);
        assertThat(validity.valid()).isTrue();
        assertThat(validity.appid()).isEqualTo(APPID);
        assertThat(validity.type()).isEqualTo("jsapi");
        assertThat(validity.expiresAt()).isEqualTo(sim.clock().now().plusSeconds(20));

        advance(5);
        SimClient.Reply again = client.ticket(token);
        assertThat(again.string("ticket")).as("the same until it expires").isEqualTo(ticket);
        assertThat(again.number("expires_in")).isEqualTo(15);
        advance(15);
        assertThat(sim.ticketValidity(ticket).valid()).isFalse();
        assertThat(client.ticket(stableToken(APPID, SECRET)).string("ticket")).isNotEqualTo(ticket);
        assertThat(sim.ticketValidity("never-issued")).isEqualTo(new TicketValidity(false, null, null, null));
    }

    @Test
    void wecomHasOneCorpTicketAndOneTicketPerApp() {
        String app1 = wecomToken(CORPSECRET);
        String app2 = wecomToken(CORPSECRET_2);
        SimClient.Reply corp = corpTicket(app1);
        assertThat(corp.json()).containsOnlyKeys("errcode", "errmsg", "ticket", "expires_in");
        assertThat(corp.number("expires_in")).isEqualTo(20);
        assertThat(corp.contentType()).isEqualTo(SimResponse.WECOM_JSON);
        assertThat(corpTicket(app2).string("ticket")).isEqualTo(corp.string("ticket"));

        String agent1 = agentTicket(app1).string("ticket");
        String agent2 = agentTicket(app2).string("ticket");
        assertThat(agent1).isNotEqualTo(agent2).isNotEqualTo(corp.string("ticket"));
        assertThat(agentTicket(app1).string("ticket")).isEqualTo(agent1);
        assertThat(sim.ticketValidity(agent2).type()).isEqualTo("agent_config");
        assertThat(sim.ticketValidity(corp.string("ticket")).appid()).isEqualTo(CORPID);
        assertThat(client.get(TicketEndpoints.WECOM_AGENT_TICKET, "access_token", app1, "type", "jsapi").errcode())
                .isEqualTo(40097);
    }

    @Test
    void wecomAllows100CallsPerAppAndHourForEachTicketKind() {
        String app1 = wecomToken(CORPSECRET);
        for (int call = 1; call <= 100; call++) {
            assertThat(corpTicket(app1).errcode()).as("call %d", call).isZero();
        }
        SimClient.Reply limited = corpTicket(app1);
        assertThat(limited.errcode()).isEqualTo(45009);
        assertThat(limited.string("errmsg")).startsWith("api freq out of limit");
        assertThat(agentTicket(app1).errcode()).as("the app ticket has its own count").isZero();
        assertThat(corpTicket(wecomToken(CORPSECRET_2)).errcode()).as("another app of the corp").isZero();

        advance(3599 - sim.clock().now().getEpochSecond() % 3600);
        assertThat(corpTicket(wecomToken(CORPSECRET)).errcode()).as("last second of the hour").isEqualTo(45009);
        advance(1);
        assertThat(corpTicket(wecomToken(CORPSECRET)).errcode()).isZero();
        assertThat(sim.callCount(CORPID, TicketEndpoints.WECOM_CORP_TICKET)).isEqualTo(104);
    }

    @Test
    void wecomLimitsTheCorpAcrossItsApps() {
        restartWith(settings().withWecomCorpTicketHourlyLimit(3).withWecomAppTicketHourlyLimit(2));
        sim.registerApp(CORPID, CORPSECRET, Platform.WECOM);
        sim.registerApp(CORPID, CORPSECRET_2, Platform.WECOM);
        String app1 = wecomToken(CORPSECRET);
        String app2 = wecomToken(CORPSECRET_2);
        assertThat(agentTicket(app1).errcode()).isZero();
        assertThat(agentTicket(app1).errcode()).isZero();
        assertThat(agentTicket(app1).errcode()).as("app limit").isEqualTo(45009);
        assertThat(agentTicket(app2).errcode()).isZero();
        assertThat(agentTicket(app2).errcode()).as("corp limit").isEqualTo(45009);
        assertThat(corpTicket(app2).errcode()).as("the corp ticket has its own count").isZero();
    }
}
