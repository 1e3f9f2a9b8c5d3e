package dev.tokencenter.refresh;

import dev.tokencenter.simulator.SimulatorClock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The engine's clock in tests: the simulator's clock, so that advancing one advances both. */
final class SimulatorTimeClock extends Clock {

    private final SimulatorClock clock;

    SimulatorTimeClock(SimulatorClock clock) {
        this.clock = clock;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return clock.now();
    }
}
