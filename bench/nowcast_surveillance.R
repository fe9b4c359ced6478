# The peer for Frontline's weekly nowcast: the R `surveillance` package's
# nowcast(method = "lawless") (Lawless 1994; Höhle & an der Heiden 2014) on
# the backtest issue #11 defines: as of each Sunday 2024-06-02 .. 2025-03-30,
# the 8 most recent Monday weeks, against the final count by event week.
#
# Usage: Rscript bench/nowcast_surveillance.R ITEMS.csv
# ITEMS.csv: event_date,published_date,count per item (bench/nowcast.sh
# writes it from a Frontline database, so both tools read the same items).
# Needs Debian's r-cran-surveillance.
suppressPackageStartupMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
items <- read.csv(args[1], header = FALSE,
                  col.names = c("event", "published", "count"),
                  colClasses = c("Date", "Date", "integer"))
items <- items[!is.na(items$event) & !is.na(items$published) &
               items$event <= items$published, ]
# One row per item unit, dates moved to their Monday week start.
items <- items[rep(seq_len(nrow(items)), items$count), ]
monday <- function(d) d - (as.integer(format(d, "%u")) - 1L)
items$dEvent <- monday(items$event)
items$dReport <- monday(items$published)
final <- table(items$dEvent)

sundays <- seq(as.Date("2024-06-02"), as.Date("2025-03-30"), by = "1 week")
# Delays to 26 weeks and a 52-week window, as Frontline's defaults; other
# values as the second and third arguments (m = 0: all the data).
D <- if (length(args) > 1) as.integer(args[2]) else 26L
m <- if (length(args) > 2) as.integer(args[3]) else 52L
started <- proc.time()[["elapsed"]]
rows <- list()
for (i in seq_along(sundays)) {
  now <- sundays[[i]] - 6L
  when <- seq(now - 7L * 7L, now, by = "1 week")
  known <- items[items$dReport <= now, ]
  quiet <- capture.output(nc <- suppressMessages(suppressWarnings(nowcast(
    now = now, when = when, data = known,
    dEventCol = "dEvent", dReportCol = "dReport",
    method = "lawless", aggregate.by = "1 week", D = D,
    m = if (m > 0) m else NULL, m.interpretation = "lawless1994",
    control = list(dRange = c(now - 7L * (max(m, 150L) + D), now), alpha = 0.10)))))
  at <- match(when, epoch(nc))
  observed <- as.vector(table(factor(as.character(known$dEvent), levels = as.character(when))))
  fin <- as.vector(final[as.character(when)])
  fin[is.na(fin)] <- 0
  rows[[i]] <- data.frame(week = when, observed = observed,
                          estimate = upperbound(nc)[at],
                          lower = nc@pi[at, 1, 1], upper = nc@pi[at, 1, 2],
                          final = fin)
}
elapsed <- proc.time()[["elapsed"]] - started
r <- do.call(rbind, rows)
nowcast_mae <- mean(abs(r$estimate - r$final))
naive_mae <- mean(abs(r$observed - r$final))
coverage <- mean(r$final >= r$lower & r$final <= r$upper)
cat(sprintf("surveillance %s lawless: D %d, m %d: nowcast MAE %.1f, naive MAE %.1f, %.2fx naive, coverage %.1f %%, n %d, %.2f s\n",
            packageVersion("surveillance"), D, m, nowcast_mae, naive_mae,
            nowcast_mae / naive_mae, 100 * coverage, nrow(r), elapsed))
