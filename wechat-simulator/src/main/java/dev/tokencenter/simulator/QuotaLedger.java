package dev.tokencenter.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-appid API quota usage: daily counts per endpoint (quota day = calendar day in UTC+8, reset at its
 * boundary), per-minute counts, and the monthly {@code clear_quota} allowance. Only calls that pass
 * credential checks consume quota; rejected calls do not.
 */
final class QuotaLedger {

    enum Verdict { OK, MINUTE_LIMIT, DAILY_LIMIT }

    private final SimulatorClock clock;
    private final ConcurrentHashMap<String, AppQuota> byApp = new ConcurrentHashMap<>();

    QuotaLedger(SimulatorClock clock) {
        this.clock = clock;
    }

    /** Consumes one call of {@code path} unless that breaks a limit ({@code <= 0} minute limit: none). */
    Verdict tryConsume(String appid, String path, long dailyLimit, long minuteLimit) {
        AppQuota quota = quota(appid);
        Instant now = clock.now();
        synchronized (quota) {
            quota.roll(now);
            if (minuteLimit > 0 && quota.minuteCounts.getOrDefault(path, 0L) >= minuteLimit) {
                return Verdict.MINUTE_LIMIT;
            }
            if (quota.dayCounts.getOrDefault(path, 0L) >= dailyLimit) {
                return Verdict.DAILY_LIMIT;
            }
            quota.dayCounts.merge(path, 1L, Long::sum);
            quota.minuteCounts.merge(path, 1L, Long::sum);
            return Verdict.OK;
        }
    }

    /** Counts a call of a limit-free endpoint (so that {@code openapi/quota/get} can report it). */
    void count(String appid, String path) {
        AppQuota quota = quota(appid);
        Instant now = clock.now();
        synchronized (quota) {
            quota.roll(now);
            quota.dayCounts.merge(path, 1L, Long::sum);
        }
    }

    long usedToday(String appid, String path) {
        AppQuota quota = quota(appid);
        Instant now = clock.now();
        synchronized (quota) {
            quota.roll(now);
            return quota.dayCounts.getOrDefault(path, 0L);
        }
    }

    /** Uses one of the month's {@code clear_quota} resets and zeroes the day's counts, or says no. */
    boolean tryClear(String appid, int monthlyLimit) {
        AppQuota quota = quota(appid);
        Instant now = clock.now();
        synchronized (quota) {
            quota.roll(now);
            if (quota.clearsThisMonth >= monthlyLimit) {
                return false;
            }
            quota.clearsThisMonth++;
            quota.dayCounts.clear();
            quota.minuteCounts.clear();
            return true;
        }
    }

    private AppQuota quota(String appid) {
        return byApp.computeIfAbsent(appid, id -> new AppQuota());
    }

    private static final class AppQuota {
        private LocalDate day;
        private long minute;
        private YearMonth month;
        private final Map<String, Long> dayCounts = new HashMap<>();
        private final Map<String, Long> minuteCounts = new HashMap<>();
        private int clearsThisMonth;

        void roll(Instant now) {
            LocalDate today = LocalDate.ofInstant(now, SimulatorClock.CHINA_STANDARD_TIME);
            if (!today.equals(day)) {
                day = today;
                dayCounts.clear();
            }
            long thisMinute = now.getEpochSecond() / 60;
            if (thisMinute != minute) {
                minute = thisMinute;
                minuteCounts.clear();
            }
            YearMonth thisMonth = YearMonth.from(today);
            if (!thisMonth.equals(month)) {
                month = thisMonth;
                clearsThisMonth = 0;
            }
        }
    }
}
