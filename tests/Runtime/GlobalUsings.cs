// LanguageExt also defines a type named Schedule; in Cm "Schedule" is always the sampling schedule.
global using Schedule = Cm.Pure.Schedules.Schedule;
