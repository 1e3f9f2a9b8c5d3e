package dev.tokencenter.simulator;

/**
 * Everything the simulator remembers. {@link WechatSimulator#reset()} swaps in a fresh instance, so a
 * request always sees one consistent generation of state.
 */
record SimulatorState(
        SimulatorSettings settings,
        SimulatorClock clock,
        AppRegistry apps,
        TokenIssuer tokens,
        TicketIssuer tickets,
        CodeBook codes,
        QuotaLedger quotas,
        FaultPlan faults,
        CallCounters counters,
        WindowLimiter limits,
        HighRiskUsers highRiskUsers) {

    static SimulatorState fresh(SimulatorSettings settings, SimulatorClock clock) {
        return new SimulatorState(settings, clock, new AppRegistry(), new TokenIssuer(settings, clock),
                new TicketIssuer(settings, clock), new CodeBook(settings, clock), new QuotaLedger(clock),
                new FaultPlan(), new CallCounters(), new WindowLimiter(clock), new HighRiskUsers());
    }
}
