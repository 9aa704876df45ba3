package dev.petrel.mailauth.dmarc;

import java.util.List;

/**
 * A usable DMARC policy record (RFC 7489 section 6.3), with the defaults filled in. Produced by
 * {@link DmarcRecordParser}; values that were malformed are already replaced by their defaults and
 * listed in {@link #problems}.
 *
 * @param policy               {@code p=}; {@code none} when the record had no valid {@code p} but a
 *                             valid {@code rua} (section 6.6.3)
 * @param subdomainPolicy      {@code sp=}, or null when absent (then {@code p} applies to subdomains too)
 * @param percent              {@code pct=}, 0 to 100 (default 100)
 * @param dkimAlignment        {@code adkim=} (default relaxed)
 * @param spfAlignment         {@code aspf=} (default relaxed)
 * @param aggregateReportUris  {@code rua=}: the syntactically valid URIs, as written (with any {@code !size})
 * @param failureReportUris    {@code ruf=}: likewise
 * @param failureOptions       {@code fo=}: the valid options among 0, 1, d, s (default [0])
 * @param reportFormats        {@code rf=} (default [afrf])
 * @param reportInterval       {@code ri=} in seconds (default 86400)
 * @param problems             syntax errors found and ignored, for diagnostics; empty for a clean record
 */
public record DmarcRecord(DmarcPolicy policy, DmarcPolicy subdomainPolicy, int percent,
                          AlignmentMode dkimAlignment, AlignmentMode spfAlignment,
                          List<String> aggregateReportUris, List<String> failureReportUris,
                          List<String> failureOptions, List<String> reportFormats, long reportInterval,
                          List<String> problems) {
    public static final int DEFAULT_PERCENT = 100;
    public static final long DEFAULT_REPORT_INTERVAL = 86_400;

    public DmarcRecord {
        if (policy == null) throw new IllegalArgumentException("policy is required");
        if (percent < 0 || percent > 100) throw new IllegalArgumentException("percent must be 0 to 100: " + percent);
        aggregateReportUris = List.copyOf(aggregateReportUris);
        failureReportUris = List.copyOf(failureReportUris);
        failureOptions = List.copyOf(failureOptions);
        reportFormats = List.copyOf(reportFormats);
        problems = List.copyOf(problems);
    }

    /** The policy requested for the From domain: {@code sp} for a subdomain of where the record was found, when present; else {@code p}. */
    public DmarcPolicy requestedPolicy(boolean subdomain) {
        return subdomain && subdomainPolicy != null ? subdomainPolicy : policy;
    }
}
