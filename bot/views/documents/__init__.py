"""Documents the office sends: the periodic report in Word and its workbook."""
