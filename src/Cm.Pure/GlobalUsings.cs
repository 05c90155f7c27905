// LanguageExt also defines a type named Schedule (retry schedules); inside Cm "Schedule" is always the sampling schedule.
global using Schedule = Cm.Pure.Schedules.Schedule;
